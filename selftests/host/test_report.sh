#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of bft report: golden reports of traces captured in the
# VM, with the ELF files they name (selftests/fixtures/report), the JSON
# schema, CSV, and malformed traces and ELF files.  scripts/check.sh runs
# it with bft/bft and with a build under ASan and UBSan.
#
#   selftests/host/test_report.sh [PATH-TO-BFT]
#
# PATH-TO-BFT defaults to bft/bft in the repository.  Nothing is built here.
# Output is TAP, followed by one summary line "report: N passed, N failed".
# The exit status is non-zero if any check failed.

set -u

TAP_NAME=test_report.sh
# shellcheck source=tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# ------------------------------------------------------------------
# report: golden tests on traces from real VM runs (selftests/fixtures/
# report, recaptured by scripts/capture-fixture.sh), attribution with
# elfutils under --root, the JSON schema, CSV, malformed input.
# BFT_UPDATE_GOLDEN=1 rewrites the expected text reports (then read the diff).

FIX=$REPO/selftests/fixtures/report
SCHEMA=$REPO/docs/bft-report.schema.json

# report_golden NAME: the text report of NAME.trace is NAME.txt.
report_golden() {
	(cd "$FIX" && "$BFT" report --root root "$1.trace") >"$1.out" 2>"$1.err"
	local rc=$?
	if [ "${BFT_UPDATE_GOLDEN:-}" = 1 ] && [ $rc -eq 0 ]; then
		cp "$1.out" "$FIX/$1.txt"
		rm -f "$FIX/$1.notes"
		[ -s "$1.err" ] && cp "$1.err" "$FIX/$1.notes"
	fi
	# stderr: the notes of $1.notes (files the fixture does not hold), or none.
	if [ $rc -eq 0 ] && cmp -s "$1.err" "${FIX}/$1.notes" 2>/dev/null ||
	   { [ $rc -eq 0 ] && ! [ -s "$1.err" ] && ! [ -e "$FIX/$1.notes" ]; }; then
		notes_ok=1
	else
		notes_ok=
	fi
	if [ -n "$notes_ok" ] && cmp -s "$1.out" "$FIX/$1.txt"; then
		pass "report of $1.trace: the expected text report ($1.txt)"
	else
		fail "report of $1.trace: the expected text report" "exit $rc" \
			"stderr: $(cat "$1.err")" \
			"$(diff "$FIX/$1.txt" "$1.out" | head -n 20)"
	fi
}
report_golden hello
report_golden touch
report_golden uselib

# report_json NAME: JSON of NAME.trace in NAME.json, checked by the schema.
report_json() {
	(cd "$FIX" && "$BFT" report --root root --format json "$1.trace") >"$1.json" 2>/dev/null
	if python3 - "$SCHEMA" "$1.json" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
PY
	then
		pass "report --format json of $1.trace: valid against docs/bft-report.schema.json"
	else
		fail "report --format json of $1.trace: valid against the schema"
	fi
}
report_json hello
report_json touch
report_json uselib

# attr_check DESC NAME PYTHON-EXPR: EXPR is true of the JSON of NAME
# (variables: r the report, s its session, f its faults, o its objects,
# at(fault, "addr"|"ip") the attribution as "object:section:symbol").
attr_check() {
	if python3 - "$2.json" "$3" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["sessions"][0]
f, o = s["faults"], s["objects"]
def at(fault, which):
    a = fault["at_" + which]
    return "%s:%s:%s" % (a["object_name"], a["section"], a["symbol"])
def fault_at(addr):
    return [x for x in f if x["addr"] == addr]
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
	then
		pass "report: $1"
	else
		fail "report: $1" "false: $3"
	fi
}
# touch.c writes bss_pages[0, 4096 ...] and data_pages[...] from main.
attr_check "touch's .bss page writes are in bss_pages, by main" touch \
	'[(at(x, "addr"), at(x, "ip").split("+")[0]) for x in f if x["addr"] in ("0x5a0000", "0x5a1000", "0x5a2000", "0x5a3000")] == [("touch:.bss:bss_pages", "touch:.text:main")] * 4'
attr_check "touch's .data page writes are in data_pages, by main" touch \
	'sorted({(at(x, "addr"), at(x, "ip")) for x in f if x["access"] == "write" and at(x, "addr") == "touch:.data:data_pages"}) == [("touch:.data:data_pages", "touch:.text:main")] and sum(at(x, "addr") == "touch:.data:data_pages" for x in f) == 4'
attr_check "touch's static exe: bias 0, symbols from its .symtab" touch \
	'o[0]["kind"] == "exe" and o[0]["bias"] == "0x0" and o[0]["symbols"] == "symtab"'
attr_check "hello: ld.so's symbols from separate debug info, by build-id under --root" hello \
	'[(x["symbols"], x["debug_file"]) for x in o if x["kind"] == "interp"] == [("debuginfo", "/usr/lib/debug/.build-id/%s/%s.debug" % (o[1]["build_id"][:2], o[1]["build_id"][2:]))]'
attr_check "hello: ld.so relocates its own .data.rel.ro in _dl_start" hello \
	'{at(x, "ip").split("+")[0] for x in f if x["access"] == "write" and x["at_addr"]["section"] == ".data.rel.ro"} == {"ld-linux-x86-64.so.2:.text:_dl_start"}'
attr_check "hello: the write to the exe's .dynamic (DT_DEBUG) is ld.so's dl_main" hello \
	'[at(x, "ip").split("+")[0] for x in f if x["access"] == "write" and x["obj"] == "exe" and x["mode"] == "user"] == ["ld-linux-x86-64.so.2:.text:dl_main"]'
attr_check "hello: the kernel's padzero write is the exe's .bss, no ip" hello \
	'[(x["at_addr"]["section"], x["ip"]) for x in f if x["mode"] == "kernel" and x["obj"] == "exe"] == [(".bss", None)]'
# Where execution starts and the initial stack, from the load events.
attr_check "hello: first instruction is ld.so's _start, AT_ENTRY the exe's _start, main found" hello \
	'[(p["at"]["object_name"], p["at"]["section"], p["at"]["symbol"], p["at"]["sym_off"]) for p in (s["start"]["entry"], s["start"]["exe_entry"], s["start"]["main"])] == [("ld-linux-x86-64.so.2", ".text", "_start", "0x0"), ("hello-dynamic", ".text", "_start", "0x0"), ("hello-dynamic", ".text", "main", "0x0")]'
attr_check "touch: static, entry = AT_ENTRY = _start, main in the exe" touch \
	's["start"]["entry"]["addr"] == s["start"]["exe_entry"]["addr"] == [x["fields"]["entry"] for x in s["steps"] if x["name"] == "load_start"][0] and s["start"]["main"]["at"]["symbol"] == "main"'
attr_check "hello: the stack's addresses from the trace nest as exec lays them out" hello \
	'(lambda n: n("sp") % 16 == 0 and n("sp") < n("random") < n("platform") < n("strings") < n("execfn") < n("stack_top"))(lambda key: int(s["stack"][key], 16))'
attr_check "hello: the stack's sp, argc and auxv count are the trace's own" hello \
	'[x["fields"]["sp"] for x in s["steps"] if x["name"] == "load_entry"] == [s["stack"]["sp"]] and s["stack"]["auxv_pairs"] == sum(x["name"] == "load_auxv" for x in s["steps"]) == 23 and s["stack"]["argc"] == 1'
attr_check "hello: libc's path from ld.so's mmap events; not in the fixture: 'not found'" hello \
	'[(y["path"], y["symbols"]) for y in o if y["kind"] == "lib"] == [("/lib/x86_64-linux-gnu/libc.so.6", "not found")] and all(x["at_addr"]["object_name"] == "libc.so.6" and x["at_addr"]["state"] == "no file" and x["at_addr"]["file_off"] for x in f if x["obj"] == "lib")'
# uselib calls libbftdemo.so's demo_touch(), which writes demo_bss[0],
# demo_bss[4096] and demo_data[0]; ld.so maps the library (mmap events)
# and its bss past the file as anonymous memory.
attr_check "uselib: the library's .bss writes are demo_bss, by demo_touch, though the pages are anonymous" uselib \
	'sorted((at(x, "addr"), at(x, "ip").split("+")[0]) for x in f if x["at_addr"]["symbol"] == "demo_bss") == [("libbftdemo.so:.bss:demo_bss", "libbftdemo.so:.text:demo_touch")] * 2 and sorted(x["at_addr"]["sym_off"] for x in f if x["at_addr"]["symbol"] == "demo_bss") == ["0x0", "0x1000"] and all(x["obj"] == "anon" for x in f if x["at_addr"]["symbol"] == "demo_bss")'
attr_check "uselib: the .data write is demo_data, by demo_touch" uselib \
	'[(at(x, "addr"), at(x, "ip").split("+")[0]) for x in f if x["at_addr"]["symbol"] == "demo_data"] == [("libbftdemo.so:.data:demo_data", "libbftdemo.so:.text:demo_touch")]'
attr_check "uselib: RELRO's mprotect(PROT_READ) of the program covers its .dynamic and .got" uselib \
	'[(m["prot"], m["ok"]) for m in s["mm"] if m["kind"] == "mprotect" and m["object"] is not None and o[m["object"]]["name"] == "uselib" and {".init_array", ".dynamic", ".got"} <= set(m["sections"].split())] == [("r--", True)]'
attr_check "uselib: the library's bias is the address of its first mmap by ld.so" uselib \
	'[y["bias"] for y in o if y["name"] == "libbftdemo.so"] == [m["result"] for m in s["mm"] if m["kind"] == "mmap" and m["file"] == "/selftests/progs/libbftdemo.so"][:1]'

(cd "$FIX" && "$BFT" report --root root --format csv hello.trace) > hello.csv
rows=$(python3 -c 'import csv, sys; print(len(list(csv.reader(open(sys.argv[1])))) - 1)' hello.csv)
events=$(grep -c 'session=' "$FIX/hello.trace")
if [ "$rows" = "$events" ] && [ "$(head -n 1 hello.csv | cut -d, -f1-3)" = "session,index,ts_us" ]; then
	pass "report --format csv: a header and one row per event ($events)"
else
	fail "report --format csv: one row per event" "rows $rows, events $events"
fi

run report --root "$FIX/root" - <"$FIX/touch.trace"
if [ "$RC" -eq 0 ] && [ "$OUT" = "$(cat "$FIX/touch.txt")" ]; then
	pass "report - reads the trace from stdin"
else
	fail "report - reads the trace from stdin" "exit $RC" "$ERR"
fi
(cd "$FIX" && "$BFT" report --root root -o "$T/out.json" -f json touch.trace) >stdout 2>stderr
RC=$? ERR=$(<stderr)
if [ "$RC" -eq 0 ] && ! [ -s stdout ] && cmp -s out.json touch.json; then
	pass "report -o FILE writes the report to FILE"
else
	fail "report -o FILE" "exit $RC" "$ERR"
fi

# Malformed input and usage errors: a message and exit 2.
head -c 3000 "$FIX/hello.trace" > truncated.trace
{ head -n 70 "$FIX/hello.trace"; echo 'garbage line'; } > garbage.trace
sed '0,/page_fault/s/ lat=[0-9]*//' "$FIX/hello.trace" > nolat.trace
sed '0,/page_fault/s/\(page_fault: session=1 since=[0-9]*\) addr=0x[0-9a-f]*/\1 addr=0xzz/' "$FIX/hello.trace" > badaddr.trace
: > empty.trace
mkdir -p badroot/selftests/progs badroot/lib64
head -c 100 "$FIX/root/selftests/progs/hello-dynamic" > badroot/selftests/progs/hello-dynamic
printf 'not an elf' > badroot/lib64/ld-linux-x86-64.so.2
check_err_part() {	# check_err_part DESC WANT-STDERR-PART BFT-ARGS...
	local desc=$1 want=$2
	shift 2
	run "$@"
	if [ "$RC" -eq 2 ] && [[ $ERR == *"$want"* ]]; then
		pass "$desc"
	else
		fail "$desc" "exit $RC (want 2)" "stderr: $ERR" "want: $want"
	fi
}
check_err_part "report of a trace cut inside a line: exit 2" \
	"truncated.trace: line 17: not a trace event" report truncated.trace
check_err_part "report of a trace with a line that is no event: exit 2" \
	"garbage.trace: line 71: not a trace event" report garbage.trace
check_err_part "report of a page_fault without lat=: exit 2" \
	"page_fault event without lat=" report nolat.trace
check_err_part "report of a page_fault with addr=0xzz: exit 2" \
	"page_fault event: bad value addr=0xzz" report badaddr.trace
check_err_part "report of an empty trace: exit 2" "no trace events" report empty.trace
check_err_part "report of a truncated ELF file: exit 2" \
	"badroot/selftests/progs/hello-dynamic: " report --root badroot "$FIX/hello.trace"
check_err_part "report of a file that is no ELF: exit 2" \
	"badroot/lib64/ld-linux-x86-64.so.2: not an ELF file" report --root badroot "$FIX/hello.trace"
check_err_part "report --session of a session not in the trace: exit 2" \
	"no events of session 7" report --session 7 "$FIX/hello.trace"
check_err_part "report --format unknown: exit 2" "unknown format 'xml'" \
	report --format xml "$FIX/hello.trace"
check_rc "report --format perfetto (test_report_viz.sh checks it): exit 0" 0 \
	report --format perfetto --root "$FIX/root" "$FIX/hello.trace"
check_rc "report without a trace: exit 2" 2 report
check_rc "report --session 0: exit 2" 2 report --session 0 "$FIX/hello.trace"
check_rc "report of a missing file: exit 1" 1 report no-such-trace
run report --root no-such-root "$FIX/touch.trace"
if [ "$RC" -eq 0 ] && [[ $ERR == *"no-such-root/selftests/progs/touch: cannot open: No such file or directory; no symbols for it"* ]] &&
   [[ $OUT == *"exe    /selftests/progs/touch: not found"* ]]; then
	pass "report without the ELF files: a note, and 'not found' objects"
else
	fail "report without the ELF files" "exit $RC" "stderr: $ERR"
fi

# ------------------------------------------------------------------

tap_end report
