"""onestop benchmarks: ingest, ask latency and scale. Every figure is printed with a same-run baseline.

    .venv/bin/python benchmarks/run.py            # full run (scale up to 100k chunks)
    .venv/bin/python benchmarks/run.py --quick    # scale up to 10k chunks

The scale corpus is synthetic and generated here (never committed): texts are shuffled sentences of
the real corpus and vectors are the real chunk vectors with small random noise, so that 100k chunks
can be indexed without hours of embedding. Results go to stdout and reports/bench.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from onestop.chunking import Chunk  # noqa: E402
from onestop.config import Settings  # noqa: E402
from onestop.embeddings import LocalEmbeddings  # noqa: E402
from onestop.evaluate import load_questions  # noqa: E402
from onestop.ingest import ingest  # noqa: E402
from onestop.pipeline import open_pipeline  # noqa: E402
from onestop.retrieve import Retriever  # noqa: E402
from onestop.store import VectorStore  # noqa: E402
from onestop.text import sentences  # noqa: E402

# Managers' questions from the dev split (scenarios, two-part questions, figures), never the test split.
QUESTIONS = [q.question for q in load_questions(REPO / "tests" / "eval" / "managers.jsonl", split="dev")][:60]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def peak_rss_mb(code: str, env: dict) -> tuple[float, float]:
    """Run Python code in a fresh process; return (seconds, peak RSS in MB)."""
    wrapper = f"{code}\nimport resource; print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", wrapper], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    rss_kb = int(next(line.split()[1] for line in out.stdout.splitlines() if line.startswith("RSS")))
    return seconds, rss_kb / 1024


def bench_ingest(work: Path, embeddings: LocalEmbeddings) -> tuple[str, Settings]:
    corpus = work / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    settings = Settings(corpus_dir=corpus, index_dir=work / "index")
    full = ingest(settings, embeddings=embeddings)
    again = ingest(settings, embeddings=embeddings)
    edited = corpus / "fit-notes.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("\n\n", "\n\nRevised. ", 1), encoding="utf-8")
    one = ingest(settings, embeddings=embeddings)
    rows = [
        [
            "full build (baseline)",
            f"{full.seconds:.2f} s",
            f"{full.chunks} chunks, {full.chunks / full.seconds:.1f} chunks/s",
            "1.00",
        ],
        [
            "re-ingest, nothing changed",
            f"{again.seconds:.3f} s",
            f"{again.embedded} embedded",
            f"{again.seconds / full.seconds:.3f}",
        ],
        ["re-ingest, one file edited", f"{one.seconds:.3f} s", f"{one.embedded} embedded", f"{one.seconds / full.seconds:.3f}"],
    ]
    return "### Ingest (real corpus)\n\n" + table(["run", "time", "work", "ratio to full build"], rows), settings


def bench_ask(settings: Settings, embeddings: LocalEmbeddings) -> str:
    env = {**os.environ, "ONESTOP_CORPUS_DIR": str(settings.corpus_dir), "ONESTOP_INDEX_DIR": str(settings.index_dir)}
    base_s, base_rss = peak_rss_mb(
        "from onestop.embeddings import LocalEmbeddings; LocalEmbeddings().embed_query('warm up')", env
    )
    cold_s, app_rss = peak_rss_mb(
        "from onestop.pipeline import open_pipeline\np = open_pipeline()\n" + "".join(f"p.ask({q!r})\n" for q in QUESTIONS[:20]),
        env,
    )
    first_s, _ = peak_rss_mb(
        "from onestop.pipeline import open_pipeline; open_pipeline().ask('Who pays for Access to Work?')", env
    )
    pipeline = open_pipeline(settings, embeddings)
    for question in QUESTIONS[:5]:
        pipeline.ask(question)  # warm the caches, as a running app is
    dense, hybrid, answer = [], [], []
    for question in QUESTIONS:
        for timings, run in (
            (dense, pipeline.retriever.dense_baseline),
            (hybrid, pipeline.retriever.hybrid),
            (answer, lambda q, k: pipeline.ask(q, k=k)),
        ):
            embeddings.clear_cache()  # every measurement embeds its question afresh
            started = time.perf_counter()
            run(question, 5)
            timings.append(time.perf_counter() - started)
    ms = lambda v: f"{1000 * v:.1f} ms"  # noqa: E731
    base50, base95 = statistics.median(dense), percentile(dense, 0.95)
    rows = [
        ["plain dense retrieval (baseline)", ms(base50), ms(base95), "1.00", "1.00"],
        [
            "onestop hybrid retrieval",
            ms(statistics.median(hybrid)),
            ms(percentile(hybrid, 0.95)),
            f"{statistics.median(hybrid) / base50:.2f}",
            f"{percentile(hybrid, 0.95) / base95:.2f}",
        ],
        [
            "onestop whole answer (cards, parts, sections)",
            ms(statistics.median(answer)),
            ms(percentile(answer, 0.95)),
            f"{statistics.median(answer) / base50:.2f}",
            f"{percentile(answer, 0.95) / base95:.2f}",
        ],
    ]
    cold = [
        ["new process: load model + embed one query (baseline)", f"{base_s:.1f} s", f"{base_rss:.0f} MB", "1.00"],
        ["new process: open index + first answer", f"{first_s:.1f} s", "", f"{first_s / base_s:.2f}"],
        ["app process: open + 20 answers", f"{cold_s:.1f} s", f"{app_rss:.0f} MB", f"{app_rss / base_rss:.2f} (RSS)"],
    ]
    ingest_s, ingest_rss = peak_rss_mb(
        "from onestop.config import Settings\nfrom onestop.ingest import ingest\n"
        f"ingest(Settings(corpus_dir=__import__('pathlib').Path({str(settings.corpus_dir)!r}), index_dir=__import__('pathlib').Path({str(settings.index_dir.parent / 'rss-index')!r})))",
        env,
    )
    cold.append(
        ["full ingest process (peak memory)", f"{ingest_s:.1f} s", f"{ingest_rss:.0f} MB", f"{ingest_rss / base_rss:.2f} (RSS)"]
    )
    return (
        f"### Ask latency ({len(QUESTIONS)} questions, warm)\n\n"
        + table(["what", "p50", "p95", "p50 ratio to baseline", "p95 ratio to baseline"], rows)
        + "\n\n### Cold start and memory\n\n"
        + table(["what", "time", "peak RSS", "ratio to baseline"], cold)
    )


def synthetic_chunks(real: list[Chunk], vectors: np.ndarray, count: int, seed: int = 7) -> tuple[list[Chunk], np.ndarray]:
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    pool = [s for c in real for s in sentences(c.text)]
    chunks, picks = [], []
    for i in range(count):
        source = rng.randrange(len(real))
        base = real[source]
        text = " ".join(rng.sample(pool, 4))
        chunks.append(
            Chunk(
                f"syn-{i}",
                text,
                f"synthetic/{i // 10}.md",
                base.title,
                base.section,
                None,
                base.topics,
                base.last_reviewed,
                base.url,
                base.publisher,
                position=i % 10,
            )
        )
        picks.append(source)
    out = vectors[picks] + noise.normal(0, 0.02, (count, vectors.shape[1]))
    return chunks, out / np.linalg.norm(out, axis=1, keepdims=True)


def bench_scale(work: Path, settings: Settings, embeddings: LocalEmbeddings, sizes: list[int]) -> str:
    real = VectorStore(settings, embeddings).all_chunks()
    vectors = np.array(embeddings.embed_documents([c.embedding_text for c in real]))
    query_vectors = [embeddings.embed_query(q) for q in QUESTIONS]
    rows, base_dense, base_hybrid = [], None, None
    for size in sizes:
        scale_settings = Settings(corpus_dir=settings.corpus_dir, index_dir=work / f"scale-{size}", collection=f"scale-{size}")
        store = VectorStore(scale_settings, embeddings, create=True)
        chunks, synthetic = synthetic_chunks(real, vectors, size)
        started = time.perf_counter()
        for start in range(0, size, 5000):
            store.upsert(chunks[start : start + 5000], synthetic[start : start + 5000])
        load_s = time.perf_counter() - started
        retriever = Retriever(scale_settings, embeddings, store)
        dense = []
        for vector in query_vectors:
            started = time.perf_counter()
            store.search(vector, 5)
            dense.append(time.perf_counter() - started)
        hybrid = []
        for question in QUESTIONS:
            embeddings.clear_cache()
            started = time.perf_counter()
            retriever.hybrid(question, 5)
            hybrid.append(time.perf_counter() - started)
        d50, h50 = statistics.median(dense), statistics.median(hybrid)
        base_dense, base_hybrid = base_dense or d50, base_hybrid or h50
        rows.append(
            [
                f"{size:,}",
                f"{load_s:.1f} s",
                f"{folder_size(scale_settings.chroma_dir) / 2**20:.0f} MB",
                f"{1000 * d50:.1f} ms",
                f"{d50 / base_dense:.2f}",
                f"{1000 * h50:.1f} ms",
                f"{h50 / base_hybrid:.2f}",
            ]
        )
        print(f"  scale {size:,} done", file=sys.stderr)
    return "### Scale (synthetic corpus)\n\n" + table(
        [
            "chunks",
            "insert time",
            "index size",
            "dense query p50",
            "growth vs smallest",
            "hybrid query p50",
            "growth vs smallest",
        ],
        rows,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="scale up to 10k chunks only")
    parser.add_argument("--out", type=Path, default=REPO / "reports" / "bench.md")
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    embeddings = LocalEmbeddings()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("ingest…", file=sys.stderr)
        ingest_md, settings = bench_ingest(work, embeddings)
        print("ask…", file=sys.stderr)
        ask_md = bench_ask(settings, embeddings)
        print("scale…", file=sys.stderr)
        scale_md = bench_scale(work, settings, embeddings, sizes)
    header = (
        f"## Benchmarks, {dt.date.today():%d %B %Y}\n\nMachine: {os.cpu_count()} CPU cores, "
        f"{platform.machine()}, Python {platform.python_version()}, no GPU.\n"
    )
    report = "\n\n".join([header, ingest_md, ask_md, scale_md]) + "\n"
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
