#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# check_report_viz.py - check bft report's perfetto and svg outputs
# against the model they were written from.
#
#   check_report_viz.py perfetto FILE.json FACTS.json
#   check_report_viz.py svg FILE.svg FACTS.json
#
# FACTS.json is what the model holds: report_viz_test's facts (per
# session its id, pid, start_us, load steps, faults, mm count and
# mappings), or bft report --format json of the same trace (schema
# bft-report/1), which is turned into the same facts.  Prints one "ok - ..." or "not ok - ..." line per check and
# exits 1 if any failed.

import json
import sys
import xml.etree.ElementTree as ET

PAGE = 4096
MAX_CELLS = 128
CLUSTER_GAP = 64
SVG = '{http://www.w3.org/2000/svg}'
FAILED = 0
UNTOUCHED = '#e4e4e4'
VIRIDIS = ('#440154', '#fde725')  # the scale's ends


def check(desc, cond, diag=None):
    global FAILED
    if cond:
        print('ok - ' + desc)
    else:
        FAILED += 1
        print('not ok - ' + desc)
        if diag is not None:
            print('# ' + str(diag))


def fault_class(f):
    if f['cache'] == 'miss':
        return 'cache miss'
    return {'minor': 'minor fault', 'major': 'major fault',
            'retry': 'retry'}.get(f['result'], 'failed fault')


def us(ns):
    return ns / 1000.0


def near(a, b):
    return abs(a - b) < 0.0005


# ------------------------------------------------------------------
# perfetto

REQUIRED = {'X': ('name', 'ph', 'ts', 'dur', 'pid', 'tid'),
            'i': ('name', 'ph', 'ts', 'pid', 'tid', 's'),
            'C': ('name', 'ph', 'ts', 'pid', 'args'),
            'M': ('name', 'ph', 'pid', 'args')}
FAULT_ARGS = ('addr', 'ip', 'access', 'result', 'cache', 'lock', 'lat_ns',
              'object', 'section', 'symbol')


def check_event_shape(evs):
    bad = []
    for e in evs:
        req = REQUIRED.get(e.get('ph'))
        if req is None or any(k not in e for k in req):
            bad.append(e)
            continue
        if not isinstance(e['name'], str) or not isinstance(e['pid'], int):
            bad.append(e)
        elif 'tid' in e and not isinstance(e['tid'], int):
            bad.append(e)
        elif 'ts' in e and not isinstance(e['ts'], (int, float)):
            bad.append(e)
        elif e['ph'] == 'X' and e['dur'] < 0:
            bad.append(e)
        elif e['ph'] == 'C' and not all(isinstance(v, (int, float))
                                         for v in e['args'].values()):
            bad.append(e)
    check('perfetto: every event has the fields its phase needs',
          not bad, bad[:3])


def check_session_perfetto(evs, s):
    sid, pid = s['id'], s['pid']
    mine = [e for e in evs if e['pid'] == pid]
    names = [e['args']['name'] for e in mine
             if e['ph'] == 'M' and e['name'] == 'process_name']
    check('perfetto: session %d: one process_name, "(session %d)"'
          % (sid, sid), len(names) == 1 and
          ('(session %d)' % sid) in names[0], names)
    tids = {f['tid'] for f in s['faults']} | {st['tid'] for st in s['steps']}
    named = {e['tid'] for e in mine
             if e['ph'] == 'M' and e['name'] == 'thread_name'}
    check('perfetto: session %d: a thread_name for each tid' % sid,
          tids <= named, (sorted(tids), sorted(named)))

    steps = s['steps']
    xs = [e for e in mine if e['ph'] == 'X' and e.get('cat') == 'load']
    execs = [e for e in xs if e['name'] == 'exec']
    if not steps:
        check('perfetto: session %d: no exec slice without load steps'
              % sid, not execs, execs)
    else:
        t0 = s['start_us'] + steps[0]['rel_us']
        t1 = s['start_us'] + steps[-1]['rel_us']
        ok = (len(execs) == 1 and near(execs[0]['ts'], t0) and
              near(execs[0]['dur'], t1 - t0) and
              execs[0]['tid'] == steps[0]['tid'])
        check('perfetto: session %d: the exec slice spans load_start..%s'
              % (sid, steps[-1]['name']), ok, execs)
        kids = [e for e in xs if e['name'] != 'exec']
        ok = len(kids) == len(steps)
        for e, st in zip(kids, steps):
            end = s['start_us'] + st['rel_us']
            ok = ok and e['name'] == st['name'] and \
                near(e['ts'] + e['dur'], end) and e['tid'] == st['tid'] and \
                e['ts'] >= execs[0]['ts'] - 0.0005 and \
                e['ts'] + e['dur'] <= execs[0]['ts'] + execs[0]['dur'] + 0.0005
        check('perfetto: session %d: %d load step slices, in order, nested'
              ' in the exec slice' % (sid, len(steps)), ok,
              [(e['name'], e['ts'], e['dur']) for e in kids])

    inst = [e for e in mine if e['ph'] == 'i' and
            e.get('cat', '').startswith('fault.')]
    check('perfetto: session %d: one instant per fault (%d)'
          % (sid, len(s['faults'])), len(inst) == len(s['faults']),
          len(inst))
    bad = []
    for e, f in zip(inst, s['faults']):
        a = e.get('args', {})
        want_ts = s['start_us'] + f['rel_us'] - us(f['lat_ns'])
        if (any(k not in a for k in FAULT_ARGS) or e['s'] != 't' or
                e['tid'] != f['tid'] or not near(e['ts'], want_ts) or
                a['addr'] != hex(f['addr']) or a['result'] != f['result'] or
                a['cache'] != f['cache'] or e['name'] != fault_class(f) or
                e['cat'] != 'fault.' + f['result']):
            bad.append((e, f))
    check('perfetto: session %d: each fault instant at its entry (line'
          ' less lat=), with its name, category and args' % sid, not bad, bad[:2])

    for name, want in (('major faults', sum(f['result'] == 'major'
                                            for f in s['faults'])),
                       ('cache misses', sum(f['cache'] == 'miss'
                                            for f in s['faults']))):
        cs = sorted((e for e in mine if e['ph'] == 'C' and
                     e['name'] == name), key=lambda e: e['ts'])
        vals = [e['args']['cumulative'] for e in cs]
        check('perfetto: session %d: counter "%s" rises by one to %d'
              % (sid, name, want),
              vals and vals[0] == 0 and vals[-1] == want and
              all(b == a + 1 for a, b in zip(vals, vals[1:])), vals)
    mm = [e for e in mine if e['ph'] == 'i' and e.get('cat') == 'mm']
    check('perfetto: session %d: one instant per mm event (%d)'
          % (sid, s['mm']), len(mm) == s['mm'], len(mm))


def check_perfetto(path, facts):
    with open(path, 'rb') as f:
        raw = f.read()
    try:
        doc = json.loads(raw.decode('utf-8'))
    except (ValueError, UnicodeDecodeError) as e:
        check('perfetto: valid UTF-8 JSON', False, e)
        return
    check('perfetto: valid UTF-8 JSON', True)
    check('perfetto: JSON Object Format, displayTimeUnit ns',
          isinstance(doc.get('traceEvents'), list) and
          doc.get('displayTimeUnit') == 'ns' and
          isinstance(doc.get('metadata'), dict))
    evs = doc['traceEvents']
    check_event_shape(evs)
    for s in facts['sessions']:
        check_session_perfetto(evs, s)


# ------------------------------------------------------------------
# svg

def page_down(a):
    return a - a % PAGE


def page_up(a):
    return page_down(a + PAGE - 1)


def unmapped_rows(s, obj):
    """The rows of an object without mappings: runs of faulted pages."""
    pages = sorted({page_down(f['addr']) for f in s['faults']
                    if f['object'] == obj})
    runs = []
    for p in pages:
        if runs and p - runs[-1][1] <= CLUSTER_GAP * PAGE:
            runs[-1][1] = p + PAGE
        else:
            runs.append([p, p + PAGE])
    return [{'object': obj, 'start': a, 'end': b} for a, b in runs]


def expected_rows(s):
    """(start, end, per_cell, ncells, object) of each mapping's row."""
    rows = []
    maps = []
    for o in range(s['objects']):
        om = [m for m in s['maps'] if m['object'] == o]
        # A point mapping (size unknown) only when none is sized.
        sized = [m for m in om if page_up(m['end']) > page_down(m['start'])]
        if sized:
            om = sized
        # A mapping replaced or unmapped later: drawn only with a fault
        # taken in it while it was there.
        om = [m for m in om if m['end_event'] < 0 or any(
            f['object'] == o and m['event'] <= f['event'] < m['end_event']
            and page_down(m['start']) <= f['addr'] < page_up(m['end'])
            for f in s['faults'])]
        maps += om if om else unmapped_rows(s, o)
    for m in maps:
        start, end = page_down(m['start']), page_up(m['end'])
        if end <= start:
            pages = [page_down(f['addr']) for f in s['faults']
                     if f['object'] == m['object']]
            if pages:
                start, end = min(pages), max(pages) + PAGE
            else:
                end = start + PAGE
        n = (end - start) // PAGE
        per = -(-n // MAX_CELLS)
        rows.append((start, end, per, -(-n // per), m['object']))
    return rows


def cell_of(rows, f):
    for i in range(len(rows) - 1, -1, -1):
        start, end, per, _, obj = rows[i]
        if obj == f['object'] and start <= f['addr'] < end:
            return (i, (page_down(f['addr']) - start) // PAGE // per)
    # Not in a row of its object (a library's bss, which ld.so maps
    # anonymous): the row that holds the address.
    for i in range(len(rows) - 1, -1, -1):
        start, end, per, _, obj = rows[i]
        if start <= f['addr'] < end and end - start > 0:
            return (i, (page_down(f['addr']) - start) // PAGE // per)
    return None


def check_session_svg(root, s):
    sid = s['id']
    g = [e for e in root.iter(SVG + 'g')
         if e.get('id') == 'session-%d' % sid]
    check('svg: session %d: one group' % sid, len(g) == 1)
    if len(g) != 1:
        return
    rows = [e for e in g[0].iter(SVG + 'g') if e.get('class') == 'row']
    want = expected_rows(s)
    check('svg: session %d: one row per mapping, or run of pages of an'
          ' object without mappings (%d)' % (sid, len(want)),
          len(rows) == len(want), len(rows))
    got_cells = [len([c for c in r if c.get('class') == 'cell'])
                 for r in rows]
    check('svg: session %d: cells per row, at most %d pages a row'
          % (sid, MAX_CELLS), got_cells == [w[3] for w in want],
          (got_cells, [w[3] for w in want]))
    cells = [c for r in rows for c in r if c.get('class') == 'cell']
    titled = [c for c in cells
              if (c.find(SVG + 'rect/' + SVG + 'title') is not None and
                  c.find(SVG + 'rect/' + SVG + 'title').text.startswith('0x'))]
    check('svg: session %d: every cell has a <title> with its address'
          % sid, len(titled) == len(cells))
    touched = {cell_of(want, f) for f in s['faults'] if f['first_touch']}
    touched.discard(None)
    major = {cell_of(want, f) for f in s['faults'] if f['result'] == 'major'}
    miss = {cell_of(want, f) for f in s['faults'] if f['cache'] == 'miss'}
    first = {}
    for f in s['faults']:
        c = cell_of(want, f)
        if f['first_touch'] and c is not None:
            first[c] = min(first.get(c, f['since_ns']), f['since_ns'])
    got_t, got_maj, got_miss, fills = set(), set(), set(), {}
    for i, r in enumerate(rows):
        for k, c in enumerate([c for c in r if c.get('class') == 'cell']):
            rect = c.find(SVG + 'rect')
            fills[(i, k)] = rect.get('fill')
            if 'not touched' not in rect.find(SVG + 'title').text:
                got_t.add((i, k))
            if c.find(SVG + "rect[@class='major']") is not None:
                got_maj.add((i, k))
            if c.find(SVG + "circle[@class='miss']") is not None:
                got_miss.add((i, k))
    check('svg: session %d: the touched cells (%d)' % (sid, len(touched)),
          got_t == touched, (sorted(got_t), sorted(touched)))
    grey = {c for c, fill in fills.items() if fill == UNTOUCHED}
    check('svg: session %d: untouched cells grey, the others not' % sid,
          grey == set(fills) - touched)
    if len(set(first.values())) > 1:
        lo = [c for c in first if first[c] == min(first.values())]
        hi = [c for c in first if first[c] == max(first.values())]
        check('svg: session %d: the first touch is the scale\'s first color,'
              ' the last its last' % sid,
              all(fills.get(c) == VIRIDIS[0] for c in lo) and
              all(fills.get(c) == VIRIDIS[1] for c in hi),
              [(c, fills.get(c)) for c in lo + hi])
    check('svg: session %d: major faults marked (%d cells)'
          % (sid, len(major - {None})), got_maj == major - {None})
    check('svg: session %d: cache misses marked (%d cells)'
          % (sid, len(miss - {None})), got_miss == miss - {None})


def check_svg(path, facts):
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        check('svg: well-formed XML', False, e)
        return
    root = tree.getroot()
    check('svg: well-formed XML, an SVG 1.1 root with a size',
          root.tag == SVG + 'svg' and root.get('version') == '1.1' and
          float(root.get('width')) > 0 and float(root.get('height')) > 0)
    ext = [e.tag for e in root.iter()
           if e.tag in (SVG + 'script', SVG + 'image', SVG + 'foreignObject')
           or any(k.endswith('href') for k in e.attrib)]
    check('svg: self-contained: no script, image or link', not ext, ext)
    for s in facts['sessions']:
        check_session_svg(root, s)


def from_model(model):
    """bft report --format json (bft-report/1) as facts."""
    def num(v):
        return int(v, 16) if isinstance(v, str) else v
    out = []
    for s in model['sessions']:
        objs = s['objects']
        out.append({
            'id': s['id'], 'pid': s['pid'], 'start_us': s['start_us'],
            'steps': [{'name': st['name'], 'rel_us': st['rel_us'],
                       'tid': st['tid']} for st in s['steps']],
            'faults': [{'tid': f['tid'], 'rel_us': f['rel_us'],
                        'lat_ns': f['lat_ns'], 'since_ns': f['since_ns'],
                        'addr': num(f['addr']), 'result': f['result'],
                        'cache': f['cache'], 'first_touch': f['first_touch'],
                        'object': (-1 if f['at_addr']['object'] is None
                                   else f['at_addr']['object']),
                        'event': f['event']}
                       for f in s['faults']],
            'mm': len(s['mm']),
            'objects': len(objs),
            'maps': [{'object': i, 'start': num(m['start']),
                      'end': num(m['end']),
                      'event': m['event'],
                      'end_event': (-1 if m['end_event'] is None
                                    else m['end_event'])}
                     for i, o in enumerate(objs) for m in o['mappings']],
        })
    return {'sessions': out}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ('perfetto', 'svg'):
        print(__doc__ or 'usage: check_report_viz.py perfetto|svg FILE FACTS',
              file=sys.stderr)
        return 2
    with open(sys.argv[3]) as f:
        facts = json.load(f)
    if facts.get('schema') == 'bft-report/1':
        facts = from_model(facts)
    if sys.argv[1] == 'perfetto':
        check_perfetto(sys.argv[2], facts)
    else:
        check_svg(sys.argv[2], facts)
    return 1 if FAILED else 0


if __name__ == '__main__':
    sys.exit(main())
