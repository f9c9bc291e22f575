#!/usr/bin/env bash
# Peer figure for the Russian extraction benchmark: natasha's full NER pipeline
# (segmentation, morphology tagging, NER tagging on the news embeddings), on one
# core, over the same text Chronicle's benchmark reads. Not part of the tests.
#
#   cargo run --release -p xtask -- bench-extract --language ru --mb 1 --text-out ru.txt
#   bash bench/peers/natasha.sh ru.txt
#
# Installs natasha from the package index into a virtualenv
# (bench/peers/.venv-natasha, ignored by git) and prints words per second.
# natasha's wheels carry their model files (navec embeddings, slovnet morph and
# NER weights): nothing is downloaded at run time.
set -euo pipefail
text=${1:?usage: natasha.sh TEXT_FILE}
here=$(cd "$(dirname "$0")" && pwd)
venv="$here/.venv-natasha"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "natasha==1.6.0"
fi
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMEXPR_NUM_THREADS=1 "$venv/bin/python" - "$text" <<'PY'
import sys, time
from importlib.metadata import version
from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

segmenter = Segmenter()
embedding = NewsEmbedding()
morph_tagger = NewsMorphTagger(embedding)
ner_tagger = NewsNERTagger(embedding)

def run(text):
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_morph(morph_tagger)
    doc.tag_ner(ner_tagger)
    return len(doc.spans)

text = open(sys.argv[1], encoding="utf-8").read()
docs = [d for d in text.split("\n\n\n") if d.strip()]
words = sum(len(d.split()) for d in docs)
run(docs[0])  # warm up outside the timing, as Chronicle's benchmark does
# Three runs, best and median, as Chronicle's benchmark reports them; CPU seconds
# beside wall seconds tell a busy machine (CPU < wall) from a second core (CPU > wall).
runs = []
for _ in range(3):
    wall, cpu = time.perf_counter(), time.process_time()
    entities = sum(run(d) for d in docs)
    runs.append((time.perf_counter() - wall, time.process_time() - cpu))
runs.sort()
(best, best_cpu), (median, _) = runs[0], runs[1]
print(f"natasha {version('natasha')} (segment, tag_morph, tag_ner; news embeddings): {len(docs)} documents, {words} words; "
      f"best {best:.2f} s = {words / best:,.0f} words/s ({best_cpu:.2f} CPU s = {words / best_cpu:,.0f} words/s), median {median:.2f} s = {words / median:,.0f} words/s, one core ({entities} entities)")
PY
