#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the guest's results stream into one TAP line per test.

The guest (selftests/run-guest) writes, for every test program:

    BFT-TEST name
    ...the program's kselftest TAP output...
    BFT-EXIT name rc

between BFT-GUEST-BEGIN and BFT-GUEST-END lines.  Every "ok"/"not ok" line
becomes one result; a missing end marker, a plan with fewer results than
announced, or a non-zero exit without a failed test is a failure too, so a
crashed or hung guest never passes.
"""
import argparse
import re
import sys

RESULT = re.compile(r'^(not )?ok \d+ (.*?)(\s+#\s*(SKIP|skip).*)?$')
PLAN = re.compile(r'^1\.\.(\d+)$')


class Tally:
    def __init__(self, kernel):
        self.kernel = kernel
        self.passed = self.failed = self.skipped = 0

    def emit(self, ok, name, skip=False, detail=()):
        label = f'{self.kernel}: {name}'
        if skip:
            self.skipped += 1
            print(f'ok - {label} # SKIP')
        elif ok:
            self.passed += 1
            print(f'ok - {label}')
        else:
            self.failed += 1
            print(f'not ok - {label}')
            for line in detail:
                print(f'#   {line}')


def parse_program(name, lines, rc, tally):
    plan = None
    seen = 0
    failed = 0
    notes = []
    for line in lines:
        m = PLAN.match(line)
        if m:
            plan = int(m.group(1))
            continue
        m = RESULT.match(line)
        if not m:
            if line.startswith('#'):
                notes.append(line)
            continue
        seen += 1
        ok = m.group(1) is None
        failed += not ok
        tally.emit(ok, f'{name}: {m.group(2)}', skip=bool(m.group(3)),
                   detail=notes[-15:])
        notes = []
    if plan is None or seen < plan:
        tally.emit(False, f'{name}: ran every test it planned',
                   detail=[f'plan {plan}, results {seen}, exit {rc}']
                   + notes[-15:])
    elif rc != 0 and failed == 0:
        tally.emit(False, f'{name}: exit status',
                   detail=[f'exit {rc} without a failed test'])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--counts', required=True)
    ap.add_argument('results')
    args = ap.parse_args()

    tally = Tally(args.kernel)
    with open(args.results, errors='replace') as f:
        text = f.read().splitlines()

    begun = ended = False
    current = None
    body = []
    for line in text:
        line = line.rstrip('\r')
        if line.startswith('BFT-GUEST-BEGIN'):
            begun = True
        elif line.startswith('BFT-GUEST-END'):
            ended = True
        elif line.startswith('BFT-TEST '):
            current, body = line.split(None, 1)[1], []
        elif line.startswith('BFT-EXIT ') and current:
            rc = int(line.split()[2])
            parse_program(current, body, rc, tally)
            current = None
        elif current:
            body.append(line)
        elif line.startswith(('init:', 'run-guest:')):
            tally.emit(False, line)
    if current:
        parse_program(current, body, -1, tally)
    tally.emit(begun and ended, 'guest ran to completion',
               detail=['results stream:'] + text[-10:])

    with open(args.counts, 'w') as f:
        f.write(f'{tally.passed} {tally.failed} {tally.skipped}\n')
    return 1 if tally.failed else 0


if __name__ == '__main__':
    sys.exit(main())
