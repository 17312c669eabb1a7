"""Site search: a chunked static index built by Pagefind beside the pages.

Why not Material's search: it ships one JSON file holding every page's words
(≈ 3 KB per session page after jieba segmentation, so 60 MB and more at a
provincial 20,000 sessions) that every reader downloads before the first
result, and on a phone over a slow network that is no search at all. Pagefind
(extended build: Chinese segmentation at index and query time) splits the index
into small chunks by word; one query fetches the chunks for its words plus one
small fragment per result shown, a few hundred KB however large the site.

What is searchable, and what of it, is search_documents.py's business: one
small document per record page, made from the records. Here they are handed
to a Pagefind process (its `--service` mode) and the index is written in
shards: Pagefind hands each shard's files over the pipe (`GetFiles`) and they
are written here. Its own `WriteFiles` (Pagefind 1.5.2) answers before its
writes have reached the files and it stops as soon as its input closes, so
under load files came out empty or cut short (an empty pagefind-entry.json,
a cut-off wasm: Pagefind/pagefind#1271, fixed after 1.5.2). What has arrived
over the pipe is whole, and written by us it is on disk when write() returns.
The build makes the documents and this index on the second core while MkDocs
renders the pages (plugin/background.py).
"""

from __future__ import annotations

import base64
import json
import math
import queue
import subprocess
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import Markup

from .search_documents import SearchDocument
from .templates import render

BUNDLE_DIR = "pagefind"  # under the site: pagefind.js, wasm, index and fragment chunks
LANGUAGE = "zh"  # the whole site is Chinese; one index, segmented as Chinese

_PENDING_LIMIT = 64  # documents waiting to be piped to Pagefind before add() waits

# Pagefind holds a whole index in memory until it writes it. So the index is
# written in shards of at most this many pages, each freed once written; the
# search box merges them at query time (one more small entry, meta and chunk
# download per shard).
SHARD_PAGES = 4000
SHARDS_FILE = "huiyin-shards.json"  # in the bundle: the other shards' folders, for assets/huiyin-search.js


Sink = Callable[[dict[str, Any]], dict[str, Any]]  # takes in an answer on arrival; what it returns is kept


class SearchIndexError(Exception):
    """The index could not be built; the message says what to do (Chinese, for staff)."""


@dataclass(frozen=True)
class SearchIndex:
    pages: int
    bundle: Path


def shard_size(expected_pages: int | None, largest: int = SHARD_PAGES) -> int:
    """Pages per shard: at most ``largest``, the shards evenly cut."""
    if not expected_pages:
        return largest
    return math.ceil(expected_pages / math.ceil(expected_pages / largest))


def pagefind_executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = None
    else:
        found = get_executable()
    if found is None or not Path(found).is_file():
        raise SearchIndexError(
            "找不到站内搜索的索引程序 Pagefind。"
            "请安装：pip install 'pagefind[extended]'（extended 版才支持中文分词），"
            "或在 mkdocs.yml 的 huiyin 插件下设置 search: false 暂时关闭站内搜索"
        )
    return Path(found)


def document(body_html: str) -> str:
    """The file Pagefind reads for a page (templates/search/page.html): body_html is a search document."""
    return render("search/page.html", lang=LANGUAGE, body=Markup(body_html))


@dataclass
class _Service:
    """A Pagefind `--service` process: base64 JSON messages separated by commas."""

    process: subprocess.Popen[bytes]
    responses: dict[int, dict[str, Any]] = field(default_factory=dict)
    arrived: threading.Condition = field(default_factory=threading.Condition)
    outbox: queue.Queue[bytes | None] = field(default_factory=lambda: queue.Queue(maxsize=_PENDING_LIMIT))
    sinks: dict[int, Sink] = field(default_factory=dict)
    last_id: int = 0
    failure: str | None = None

    @classmethod
    def start(cls) -> _Service:
        process = subprocess.Popen(
            [str(pagefind_executable()), "--service"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        service = cls(process)
        threading.Thread(target=service._read, name="pagefind-read", daemon=True).start()
        threading.Thread(target=service._write, name="pagefind-write", daemon=True).start()
        return service

    def send(self, payload: dict[str, Any], sink: Sink | None = None) -> int:
        """Queue a message; the build only waits when the indexer is far behind.

        A sink takes in the answer as it arrives (on the reading thread), so that
        a shard's files are written while the next shard's documents go on.
        """
        self.last_id += 1
        if sink is not None:
            self.sinks[self.last_id] = sink
        message = {"message_id": self.last_id, "payload": payload}
        self.outbox.put(base64.b64encode(json.dumps(message, ensure_ascii=False).encode()) + b",")
        return self.last_id

    def wait(self, message_id: int, timeout: float = 600) -> dict[str, Any]:
        with self.arrived:
            if not self.arrived.wait_for(lambda: message_id in self.responses or self.failure, timeout):
                raise SearchIndexError("站内搜索索引程序 Pagefind 长时间没有响应")
            if message_id not in self.responses:
                raise SearchIndexError(f"站内搜索索引程序 Pagefind 意外退出：{self.failure}")
            payload = self.responses.pop(message_id)
        if payload.get("type") == "Error":
            raise SearchIndexError(f"站内搜索索引出错：{payload.get('message')}")
        return payload

    def close(self) -> None:
        self.outbox.put(None)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def _write(self) -> None:
        assert self.process.stdin is not None
        try:
            while (message := self.outbox.get()) is not None:
                self.process.stdin.write(message)
                self.process.stdin.flush()
            self.process.stdin.close()
        except OSError as error:
            self._fail(str(error))

    def _read(self) -> None:
        """Answers, split at commas; a shard's files are one answer of several MB at 20,000 pages.

        Only the newly read bytes are searched for the comma, and the bytearray
        grows in place: joining and splitting the whole answer again for each
        64 KB read would copy it a few hundred times.
        """
        assert self.process.stdout is not None
        pending = bytearray()
        stdout: Any = self.process.stdout  # a BufferedReader: read1 returns what has arrived
        while chunk := stdout.read1(1 << 20):
            searched_from = len(pending)
            pending += chunk
            end = pending.rfind(b",", searched_from)
            if end < 0:
                continue
            complete = bytes(pending[:end])
            del pending[:end + 1]
            for raw in complete.split(b","):
                self._receive(json.loads(base64.b64decode(raw)))
        self._fail(f"退出码 {self.process.poll()}")

    def _receive(self, response: dict[str, Any]) -> None:
        message_id = response.get("message_id") or 0
        payload: dict[str, Any] = response["payload"]
        sink = self.sinks.pop(message_id, None)
        if sink is not None:
            payload = sink(payload)
        with self.arrived:
            self.responses[message_id] = payload
            self.arrived.notify_all()

    def _fail(self, reason: str) -> None:
        with self.arrived:
            self.failure = self.failure or reason
            self.arrived.notify_all()


class SearchIndexer:
    """Hand documents to Pagefind one by one; write the bundle at the end.

    The first shard is the bundle itself (pagefind/); further shards are
    written to pagefind/shard-<n>/ and listed in pagefind/huiyin-shards.json.
    ``shard_pages`` defaults to ``shard_size(expected_pages)``.
    """

    def __init__(self, site_dir: Path, shard_pages: int | None = None, expected_pages: int | None = None):
        self.bundle = site_dir / BUNDLE_DIR
        self.config = {"force_language": LANGUAGE}
        self.shard_pages = max(1, shard_pages or shard_size(expected_pages))
        self.service = _Service.start()
        self.shards: list[str] = []  # folders (relative to the bundle) of shards written or being written
        self.writes: list[int] = []  # messages writing them
        self.pages = 0
        # Every shard's index is asked for now, while Pagefind is idle. Asked for
        # when the shard starts, the answer would queue behind the writing of the
        # shard before it, and the documents would wait for that (≈ 1 ms a page).
        self.spare_indexes = self._new_indexes(math.ceil(expected_pages / self.shard_pages) if expected_pages else 1)
        self.index_id: int | None = self._new_index()
        self.in_shard = 0

    def _new_indexes(self, count: int) -> list[int]:
        requests = [self.service.send({"type": "NewIndex", "config": self.config}) for _ in range(count)]
        return [self.service.wait(request)["index_id"] for request in requests]

    def _new_index(self) -> int:
        """An index for the next shard: one asked for ahead, or (more pages than expected) a new one."""
        return self.spare_indexes.pop(0) if self.spare_indexes else self._new_indexes(1)[0]

    def add(self, url: str, body_html: str) -> None:
        """Index a page: its site path (/sessions/2021/x/) and the body of its search document."""
        if self.index_id is None or self.in_shard == self.shard_pages:
            if self.index_id is not None:
                self._write_shard()
            self.index_id = self._new_index()
            self.in_shard = 0
        self.service.send({"type": "AddFile", "index_id": self.index_id, "url": url,
                           "file_path": None, "file_contents": document(body_html)})
        self.pages += 1
        self.in_shard += 1

    def _write_shard(self) -> None:
        """Write the current index to its folder and free it (documents go on arriving meanwhile)."""
        folder = "" if not self.shards else f"shard-{len(self.shards) + 1}/"
        self.shards.append(folder)
        output = self.bundle / folder if folder else self.bundle
        self.writes.append(self.service.send({"type": "GetFiles", "index_id": self.index_id},
                                             sink=lambda answer: _write_bundle(output, answer)))
        self.writes.append(self.service.send({"type": "DeleteIndex", "index_id": self.index_id}))
        self.index_id = None

    def write(self) -> SearchIndex:
        """Write the last shard, wait for every write, stop the indexer."""
        bundle = self.bundle
        try:
            if self.index_id is not None and (self.in_shard or not self.shards):
                self._write_shard()
            for message in self.writes:
                self.service.wait(message)
            failed = [p for p in self.service.responses.values() if p.get("type") == "Error"]
            if failed:
                raise SearchIndexError(f"站内搜索索引出错（{len(failed)} 页）：{failed[0].get('message')}")
        finally:
            self.service.close()
        if self.pages and next(bundle.glob(f"pagefind.{LANGUAGE}_*.pf_meta"), None) is None:
            raise SearchIndexError("站内搜索索引没有写出：找不到 pagefind 目录下的索引文件")
        (bundle / SHARDS_FILE).write_text(json.dumps({"shards": self.shards[1:]}), encoding="utf-8")
        return SearchIndex(pages=self.pages, bundle=bundle)

    def abandon(self) -> None:
        """The build failed: stop the indexer without writing anything."""
        self.service.close()


def _write_bundle(output: Path, answer: dict[str, Any]) -> dict[str, Any]:
    """Write a shard's files as Pagefind handed them over (GetFiles: relative paths, base64 contents).

    The site folder is the one MkDocs has just emptied, so each file is simply
    written and closed; a file that cannot be written becomes the answer's error.
    """
    if answer.get("type") != "GetFiles":
        return answer
    folders: set[Path] = set()
    try:
        for file in answer["files"]:
            relative = PurePosixPath(file["path"])
            if relative.is_absolute() or ".." in relative.parts:
                raise ValueError(f"Pagefind 给出了目录以外的文件 {relative}")
            target = output / relative
            if target.parent not in folders:  # fragment/, index/, filter/: not once per file
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            target.write_bytes(base64.b64decode(file["content"]))
    except (OSError, ValueError, KeyError) as error:
        return {"type": "Error", "message": f"写不出站内搜索的索引文件（{output}）：{error}"}
    return {"type": "GetFiles", "files": len(answer["files"])}


def write_search_index(site_dir: Path, documents: Iterable[SearchDocument]) -> SearchIndex:
    """The site search for these documents, written to site_dir/pagefind/."""
    documents = list(documents)
    indexer = SearchIndexer(site_dir, expected_pages=len(documents))
    try:
        for doc in documents:
            indexer.add(doc.url, doc.html)
    except BaseException:
        indexer.abandon()
        raise
    return indexer.write()
