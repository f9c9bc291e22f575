"""Fails when a score.py result falls below its bars.

    python3 .ci/gate.py SCORE.json "persons=0.95" "organizations=0.85" "date=0.90" ...

A bar names a score.py figure: persons, organizations, events or linkage
(their F1), or an attribute (date, country, to_country, term_years: its
accuracy; an attribute never scored counts as 0).
"""
import json
import sys

result = json.load(open(sys.argv[1]))
failed = False
for bar in sys.argv[2:]:
    name, _, least = bar.partition("=")
    if name in ("persons", "organizations", "events", "linkage"):
        label, value = f"{name} F1", result[name]["f1"]
    else:
        a = result["attributes"].get(name)
        label, value = f"{name} accuracy", a["accuracy"] if a and a["accuracy"] is not None else 0.0
    ok = value >= float(least) - 1e-9
    failed |= not ok
    print(f"{'ok  ' if ok else 'FAIL'} {label:22} {value:.3f} (bar {float(least):.2f})")
sys.exit(1 if failed else 0)
