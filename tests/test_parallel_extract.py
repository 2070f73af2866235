"""Parsing in worker processes: batches cover every article once, in input order, the last
stretch cut finer so the workers finish together, and the extractions come back in input order."""

from __future__ import annotations

import json
from pathlib import Path

from kg.extract.pipeline import Extractor, _tasks, extract_articles
from kg.records import Article


def numbered(count: int) -> list[Article]:
    return [Article(id=f"a{i}", path=f"a{i}.txt", text=f"Chad withdrew its troops from Mali ({i}).")
            for i in range(count)]


def test_tasks_cover_every_article_in_order() -> None:
    for count in (0, 1, 5, 16, 47, 48, 49, 100, 333):
        articles = numbered(count)
        tasks = list(_tasks(iter(articles), size=16, workers=2))
        assert [a for task in tasks for a in task] == articles
        assert all(task for task in tasks)


def test_the_last_stretch_is_cut_finer() -> None:
    sizes = [len(t) for t in _tasks(iter(numbered(333)), size=16, workers=2)]
    whole = sizes.index(4)  # whole batches until the input ends, then quarter batches
    assert set(sizes[:whole]) == {16} and max(sizes[whole:]) == 4
    assert 32 <= sum(sizes[whole:]) < 48  # at most one batch per worker more than a batch
    assert [len(t) for t in _tasks(iter(numbered(6)), size=16, workers=2)] == [4, 2]


def test_workers_return_extractions_in_input_order() -> None:
    articles = numbered(11)
    one = list(extract_articles(articles, batch_size=2, workers=1))
    two = list(extract_articles(articles, batch_size=2, workers=2))
    assert [e.article.id for e in two] == [a.id for a in articles]
    assert two == one  # the same records as one process makes
    assert all(e.events for e in two)


def test_workers_extract_with_the_extractor_they_are_given(tmp_path: Path) -> None:
    rules = tmp_path / "mine.jsonl"
    rules.write_text(json.dumps({
        "id": "user.snub", "class": "Rejection", "pos": "VERB", "lemmas": ["snub"],
        "source": ["agent"], "target": ["patient"],
        "examples": [{"text": "Chad snubbed Mali on Tuesday.", "expect": ["TCD REJECT MLI"]}],
    }) + "\n")
    extractor = Extractor.with_user_data(rules=rules)
    articles = [Article(id=f"a{i}", path=f"a{i}.txt",
                        text=f"Chad snubbed Mali on Tuesday, day {i}.")
                for i in range(4)]
    two = list(extract_articles(articles, batch_size=1, workers=2, extractor=extractor))
    assert [e.evidence.rule for x in two for e in x.events] == ["user.snub"] * 4


def _children(pid: int) -> list[int]:
    import glob
    found: list[int] = []
    for path in glob.glob(f"/proc/{pid}/task/*/children"):
        with open(path) as handle:
            found += [int(p) for p in handle.read().split()]
    return found


def test_a_killed_worker_ends_the_run_with_one_line_and_a_rerun_completes_it(
        tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time
    folder = tmp_path / "articles"
    folder.mkdir()
    body = "Chad expelled French troops on Monday. Mali hosts Russian instructors. " * 30
    for i in range(240):
        (folder / f"a{i:03d}.md").write_text(f"---\ndate: 2024-05-02\n---\n{body} Story {i}.\n")
    store = tmp_path / "store"
    command = [sys.executable, "-m", "kg.cli", "ingest", "--workers", "2", "--store", str(store),
               str(folder)]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while not workers and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.2)
        workers = _children(run.pid)
    assert workers, "the workers never started"
    time.sleep(8.0)  # let the worker load the model and take a batch
    os.kill(workers[0], signal.SIGKILL)
    try:
        _, err = run.communicate(timeout=180)  # a hang fails here
    finally:
        for pid in [run.pid, *_children(run.pid)] if run.poll() is None else []:
            os.kill(pid, signal.SIGKILL)
    assert run.returncode != 0
    assert "a --workers process died" in err and "Traceback" not in err, err
    rerun = subprocess.run(command, check=False, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    stats = subprocess.run([sys.executable, "-m", "kg.cli", "stats", "--store", str(store)],
                           check=False, capture_output=True, text=True, timeout=120)
    assert "articles   240" in stats.stdout, stats.stdout
