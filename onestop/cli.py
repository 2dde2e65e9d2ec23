"""The `onestop` command: a thin shell over the library; errors become messages only here."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from onestop.config import Settings
from onestop.errors import OneStopError

NOT_LEGAL_ADVICE = "This is guidance, not legal advice."

EPILOG = """examples:
  onestop ingest                       index corpus/ (only what changed since last time)
  onestop ingest --rebuild --json      rebuild from scratch, print a JSON summary
  onestop ask "Who pays for Access to Work?"
  onestop ask "What is the SSP rate?" --k 8 --json
  onestop ask --batch questions.txt    one JSON answer a line (model loaded once)
  onestop checklist return-to-work --list-questions
  onestop checklist return-to-work --answers answers.json --format pdf --out checklist.pdf
  onestop check                        lint the corpus (documents, cards, checklists, writing)
  onestop serve --port 8501             load the guidance, then start the app
  onestop status --json                what is indexed, pending, overdue for review or expired
  onestop eval --questions tests/eval/questions.jsonl --split test
  onestop feedback --since 2026-01-01  unanswered and "no" questions, by nearest answer card
  onestop feedback --purge-before 2026-01-01   delete feedback dated before that day

settings come from ONESTOP_* environment variables (see README.md)."""


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `onestop` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args)
    except OneStopError as exc:  # a failure the message explains (2 is kept for usage errors)
        print(f"onestop: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("onestop: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `onestop ask … | head`: the reader stopped early, which is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second traceback when Python flushes
        return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="onestop",
        description="Cited guidance for small UK employers on disability, sickness absence and return to work.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(title="commands")

    ingest = sub.add_parser("ingest", help="build or refresh the index from the corpus folder")
    ingest.add_argument("--corpus", type=Path, help="corpus folder (default: ONESTOP_CORPUS_DIR or corpus/)")
    ingest.add_argument("--rebuild", action="store_true", help="drop the index and build it again")
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    ingest.set_defaults(handler=run_ingest)

    ask = sub.add_parser("ask", help="ask a question and get a cited answer")
    ask.add_argument("question", nargs="?", help="the question (or use --batch)")
    ask.add_argument(
        "--batch",
        type=Path,
        help="answer every line of FILE (plain text, or JSON Lines with a 'question' field); prints one --json object a line",
    )
    ask.add_argument("--k", type=int, default=None, help="how many chunks to retrieve (default 5)")
    ask.add_argument("--topic", action="append", default=[], help="only use documents with this topic")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.set_defaults(handler=run_ask)

    checklist = sub.add_parser("checklist", help="build a tailored, cited checklist (recruitment, return-to-work)")
    checklist.add_argument("name", help="which checklist, e.g. recruitment or return-to-work")
    checklist.add_argument("--answers", type=Path, help="JSON file of {question id: value}; missing answers take their default")
    checklist.add_argument("--format", choices=["md", "csv", "pdf"], default="md")
    checklist.add_argument("--out", type=Path, help="write to this file (needed for pdf; default: print)")
    checklist.add_argument("--list-questions", action="store_true", help="print the form's questions as JSON")
    checklist.set_defaults(handler=run_checklist)

    check = sub.add_parser("check", help="lint the corpus: documents, answer cards, checklists, writing rules")
    check.add_argument("--corpus", type=Path, help="corpus folder (default: ONESTOP_CORPUS_DIR or corpus/)")
    check.add_argument("--json", action="store_true", help="print the problems as JSON")
    check.set_defaults(handler=run_check)

    serve = sub.add_parser("serve", help="load the guidance, then start the app (the first answer is instant)")
    serve.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    serve.add_argument("--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.set_defaults(handler=run_serve)

    status = sub.add_parser("status", help="what the index holds, what an ingest would change, what is overdue")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(handler=run_status)

    evaluate = sub.add_parser("eval", help="measure retrieval and answers against the baselines")
    evaluate.add_argument("--questions", type=Path, default=Path("tests/eval/managers.jsonl"))
    evaluate.add_argument("--split", choices=["dev", "test"], help="only this split (default: all)")
    evaluate.add_argument("--k", type=int, default=5, help="chunks retrieved per question (default 5)")
    evaluate.add_argument("--json", action="store_true", help="print the full results as JSON")
    evaluate.add_argument("--report", type=Path, help="also write a Markdown report to this file")
    evaluate.add_argument(
        "--calibrate", action="store_true", help="print the answer thresholds that fit these questions best (dev split only)"
    )
    evaluate.set_defaults(handler=run_eval)

    feedback = sub.add_parser("feedback", help="what users said was missing: unanswered and 'no' questions by nearest card")
    when = feedback.add_mutually_exclusive_group()
    when.add_argument("--since", type=iso_date, metavar="DATE", help="only feedback dated on or after DATE (YYYY-MM-DD)")
    when.add_argument("--purge-before", type=iso_date, metavar="DATE", help="delete every feedback record dated before DATE")
    feedback.add_argument("--json", action="store_true", help="print the report as JSON")
    feedback.set_defaults(handler=run_feedback)
    return parser


def iso_date(text: str) -> dt.date:
    """An argparse type: a YYYY-MM-DD date, or a usage error saying so."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from exc


def run_ingest(args: argparse.Namespace) -> int:
    """`onestop ingest`: sync the index and print a summary."""
    from onestop.ingest import ingest

    settings = Settings.from_env()
    progress = None if args.json else _progress_bar("Embedding")
    report = ingest(settings, corpus_dir=args.corpus, rebuild=args.rebuild, progress=progress)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(format_ingest_report(report))
    return 0 if report.ok else 1


def format_ingest_report(report) -> str:
    """A plain-text summary table of an ingest run."""
    rows = [
        ("added", len(report.added)),
        ("updated", len(report.updated)),
        ("removed", len(report.removed)),
        ("unchanged", len(report.unchanged)),
        ("failed", len(report.failed)),
    ]
    lines = ["", "  files      count", "  ---------  -----"]
    lines += [f"  {name:<9}  {count:>5}" for name, count in rows]
    lines += [f"  chunks in index: {report.chunks}   embedded this run: {report.embedded}   time: {report.seconds:.1f} s"]
    for name, label in ((report.added, "added"), (report.updated, "updated"), (report.removed, "removed")):
        lines += [f"  {label}: {path}" for path in name]
    if report.failed:
        lines.append("")
        lines.append("  These files were not indexed (anything indexed from them before is kept):")
        lines += [f"  FAILED {item['file']}: {item['reason']}" for item in report.failed]
    return "\n".join(lines)


def run_ask(args: argparse.Namespace) -> int:
    """`onestop ask`: answer one question."""
    from onestop.pipeline import open_pipeline

    settings = Settings.from_env()
    if args.k is not None and not 1 <= args.k <= 50:
        print("onestop ask: --k must be between 1 and 50.", file=sys.stderr)
        return 2
    if bool(args.question) == bool(args.batch):
        print("onestop ask: give a question or --batch FILE (not both).", file=sys.stderr)
        return 2
    questions = read_batch(args.batch) if args.batch else []
    pipeline = open_pipeline(settings)  # the model loads once, for every question
    if args.batch:
        for question in questions:
            answer = pipeline.ask(question, topics=tuple(args.topic), k=args.k)
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        return 0
    answer = pipeline.ask(args.question, topics=tuple(args.topic), k=args.k)
    if args.json:
        print(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
        return 0
    print(answer.text)
    for notice in answer.notices:
        print(f"\nNote: {notice}")
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            page = f", page {c.chunk.page}" if c.chunk.page else ""
            print(f"  [{c.n}] {c.chunk.title} — {c.chunk.section}{page} (last reviewed {c.chunk.last_reviewed})")
            print(f"      {c.chunk.url}")
    print(f"\n{NOT_LEGAL_ADVICE}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """`onestop serve`: warm the pipeline in the server process, then run the Streamlit app."""
    from onestop.serve import serve

    serve(args.port, args.address)
    return 0


def run_status(args: argparse.Namespace) -> int:
    """`onestop status`: documents, chunks, cards, last ingest, pending changes, overdue reviews, expired sections."""
    from onestop.status import index_status

    status = index_status(Settings.from_env())
    if args.json:
        print(json.dumps(status.to_json(), indent=2, ensure_ascii=False))
        return 0
    print(
        f"Index: {status.documents} documents, {status.chunks} passages, {status.cards} answer cards; last ingest {status.last_ingest or 'never'}."
    )
    pending = status.pending
    if pending.added or pending.updated or pending.removed:
        print("Waiting for `onestop ingest`:")
        for label, files in (("added", pending.added), ("updated", pending.updated), ("removed", pending.removed)):
            for file in files:
                print(f"  {label}: {file}")
    else:
        print("The index matches the corpus folder.")
    for file, reason in status.failed.items():
        print(f"  could not be indexed: {file}: {reason}")
    for file in status.overdue_review:
        print(f"  review overdue (over 12 months): {file}")
    for anchor in status.expired_sections:
        print(f"  applies_until has passed: {anchor}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """`onestop check`: print every corpus problem as `file:line: message`; exit 1 if there are any."""
    from onestop.check import check_corpus

    corpus_dir = args.corpus or Settings.from_env().corpus_dir
    problems = check_corpus(Path(corpus_dir))
    if args.json:
        print(json.dumps({"corpus": str(corpus_dir), "problems": [p.to_json() for p in problems]}, indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) in {corpus_dir}." if problems else f"No problems in {corpus_dir}.", file=sys.stderr)
    return 1 if problems else 0


def read_batch(path: Path) -> list[str]:
    """Questions from a file: one a line, as plain text or JSON objects with a 'question' field."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise OneStopError(f"Cannot read the questions file {path}: {exc}") from exc
    questions = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                question = json.loads(line)["question"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise OneStopError(f"{path}, line {number}: a JSON line needs a 'question' field") from exc
            questions.append(str(question))
        else:
            questions.append(line)
    return questions


def run_checklist(args: argparse.Namespace) -> int:
    """`onestop checklist NAME`: print the form, or build and export a checklist."""
    from onestop.checklists import build, load_definition
    from onestop.export import render

    settings = Settings.from_env()
    definition = load_definition(settings.corpus_dir, args.name)
    if args.list_questions:
        print(json.dumps([q.to_json() for q in definition.questions], indent=2, ensure_ascii=False))
        return 0
    answers = {}
    if args.answers:
        try:
            answers = json.loads(args.answers.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise OneStopError(f"Cannot read the answers file {args.answers}: {exc}") from exc
    data = render(build(definition, answers), args.format)
    if args.out:
        args.out.write_bytes(data)
        print(f"Wrote {args.out} ({len(data):,} bytes).", file=sys.stderr)
    elif args.format == "pdf":
        raise OneStopError("A PDF needs --out FILE.")
    else:
        sys.stdout.write(data.decode("utf-8-sig"))
    return 0


def run_eval(args: argparse.Namespace) -> int:
    """`onestop eval`: the three systems side by side on a question set."""
    from onestop.evaluate import calibrate, evaluate, format_table, load_questions
    from onestop.pipeline import open_pipeline

    questions = load_questions(args.questions, args.split)
    if not questions:
        raise OneStopError(f"No questions in {args.questions}" + (f" for split {args.split!r}" if args.split else ""))
    pipeline = open_pipeline(Settings.from_env())
    report = evaluate(pipeline, questions, k=args.k, split=args.split)
    table = format_table(report)
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(f"{len(questions)} questions ({args.split or 'all splits'}), k={args.k}\n\n{table}")
    if args.calibrate:
        thresholds, score = calibrate(pipeline, questions, k=args.k)
        print(f"\nBest thresholds on these questions: {thresholds} (score {score:.3f})", file=sys.stderr)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(
            f"# onestop evaluation\n\nQuestions: `{args.questions}` ({args.split or 'all splits'}, "
            f"{len(questions)} questions), k={args.k}, run {time.strftime('%Y-%m-%d %H:%M')}.\n\n{table}\n",
            encoding="utf-8",
        )
    return 0


def run_feedback(args: argparse.Namespace) -> int:
    """`onestop feedback`: report unanswered and unhelpful questions by nearest card, or purge old records."""
    from onestop.cards import load_cards
    from onestop.errors import FeedbackError
    from onestop.feedback import feedback_report, format_report, purge_before, read_feedback

    settings = Settings.from_env()
    try:
        if args.purge_before:
            removed = purge_before(settings.feedback_dir, args.purge_before)
            if args.json:
                print(json.dumps({"purged": removed, "before": args.purge_before.isoformat()}))
            else:
                print(
                    f"Deleted {removed} feedback record(s) dated before {args.purge_before.isoformat()} from {settings.feedback_dir}."
                )
            return 0
        log = read_feedback(settings.feedback_dir, since=args.since)
    except FeedbackError as exc:
        print(f"onestop feedback: {exc}", file=sys.stderr)
        return 1
    report = feedback_report(log, load_cards(settings.corpus_dir).cards)
    print(json.dumps(report.to_json(), indent=2, ensure_ascii=False) if args.json else format_report(report))
    return 0


def _progress_bar(label: str):
    """A callback drawing a one-line progress bar on stderr."""
    started = time.perf_counter()

    def draw(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / max(time.perf_counter() - started, 1e-6)
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} chunks ({rate:.0f}/s)")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return draw


if __name__ == "__main__":
    sys.exit(main())
