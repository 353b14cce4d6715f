"""A stand-in for an OpenSearch server in tests, so that the real opensearch-py client is
driven over HTTP: the endpoints the project calls (an index's existence, creation and
deletion, _bulk, _search), answered from memory.

It is not OpenSearch. It refuses what a strict mapping refuses (a field the index does not
define) and evaluates the one query shape the project sends by the rules it asks for: the
words of each `must` clause found in the fields copied to `all`, accent-folded, the last of
them as a prefix; each `should` clause adding its boost for each word its field holds;
`filter` terms; `sort` by score, then by a date, missing last. So the tests check what the
project sends and how it reads the answers, not OpenSearch's own ranking.
"""

import json
import re
import threading
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def folded_words(text) -> list[str]:
    """The standard tokenizer with lowercase and asciifolding, near enough for tests."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", plain)


class FakeOpenSearch:
    def __init__(self):
        self.indexes: dict[str, dict] = {}
        self.searches: list[tuple[str, dict]] = []
        self.refuse_writes = False
        # (index, id) of documents refused for their own reason, as a value a mapping
        # cannot parse would be.
        self.refuse_documents: set[tuple[str, str]] = set()
        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self):
        self.indexes.clear()
        self.searches.clear()
        self.refuse_writes = False
        self.refuse_documents.clear()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def documents(self, index: str) -> dict[str, dict]:
        return self.indexes[index]["documents"]

    # The endpoints ------------------------------------------------------------------------

    def bulk(self, lines: list[dict]) -> dict:
        items = []
        while lines:
            ((operation, target),) = lines.pop(0).items()
            document = lines.pop(0) if operation == "index" else None
            status = self._write(self.indexes.get(target["_index"]), target, document)
            result = {**target, "status": status}
            if status in ERRORS:
                result["error"] = {"type": ERRORS[status], "reason": "refused by the stand-in"}
            items.append({operation: result})
        errors = any(result["status"] >= 300 for item in items for result in item.values())
        return {"errors": errors, "items": items}

    def _write(self, index, target, document) -> int:
        """An index or delete action (document None), with its external version."""
        if index is None:
            return 404
        if self.refuse_writes:
            return 429
        pk, version = target["_id"], target.get("version")
        if document is not None and (target["_index"], pk) in self.refuse_documents:
            return 400
        assert version is None or target["version_type"] == "external_gte"
        if version is not None and version < index["versions"].get(pk, 0):
            return 409  # version_conflict_engine_exception
        if document is None:
            if index["documents"].pop(pk, None) is None:
                return 404
        elif set(document) - set(index["definition"]["mappings"]["properties"]):
            return 400  # strict_dynamic_mapping_exception
        else:
            index["documents"][pk] = document
        if version is not None:
            index["versions"][pk] = version
        return 200 if document is None else 201

    def search(self, name: str, body: dict) -> dict:
        self.searches.append((name, body))
        index = self.indexes[name]
        properties = index["definition"]["mappings"]["properties"]
        copied = [field for field, spec in properties.items() if spec.get("copy_to") == "all"]
        query = body["query"]["bool"]
        # Each must clause: its words in the record, the last as a prefix.
        wanted = []
        for clause in query["must"]:
            must = clause["match_bool_prefix"]["all"]
            assert must["operator"] == "and"
            wanted.append(folded_words(must["query"]))
        hits = []
        for pk, document in index["documents"].items():
            words = {w for field in copied for w in folded_words(document.get(field))}
            if not all(_holds(words, clause) for clause in wanted):
                continue
            if not all(
                document.get(field) == value
                for clause in query.get("filter", [])
                for field, value in clause["term"].items()
            ):
                continue
            score = 0.0
            for clause in query.get("should", []):
                ((field, match),) = clause["match"].items()
                held = set(folded_words(document.get(field)))
                score += match["boost"] * sum(w in held for w in folded_words(match["query"]))
            hits.append((score, document, pk))
        ((date, order),) = body["sort"][1].items()
        assert body["sort"][0] == "_score" and order["order"] == "desc"
        # Best first, then the newest; a record without the date last (sorts are stable).
        hits.sort(key=lambda hit: hit[1].get(date) or "", reverse=True)
        hits.sort(key=lambda hit: -hit[0])
        return {
            "hits": {
                "hits": [{"_id": pk, "_score": score} for score, _, pk in hits[: body["size"]]]
            }
        }


# The error types OpenSearch gives its refusals, by status.
ERRORS = {400: "mapper_parsing_exception", 429: "es_rejected_execution_exception"}


def _holds(words: set[str], clause: list[str]) -> bool:
    *whole, last = clause
    return all(word in words for word in whole) and any(w.startswith(last) for w in words)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenSearch

    def log_message(self, *args):
        pass

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _answer(self, status: int, payload: dict | None = None):
        data = json.dumps(payload or {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_HEAD(self):
        self._answer(200 if self.path.strip("/") in self.fake.indexes else 404)

    def do_PUT(self):
        name = self.path.strip("/")
        if name in self.fake.indexes:
            return self._answer(400, {"error": {"type": "resource_already_exists_exception"}})
        definition = json.loads(self._body())
        self.fake.indexes[name] = {"definition": definition, "documents": {}, "versions": {}}
        self._answer(200, {"acknowledged": True, "index": name})

    def do_DELETE(self):
        found = self.fake.indexes.pop(self.path.strip("/"), None)
        self._answer(200 if found else 404, {"acknowledged": bool(found)})

    def do_POST(self):
        path = self.path.split("?")[0]
        if path == "/_bulk":
            lines = [json.loads(line) for line in self._body().decode().splitlines() if line]
            return self._answer(200, self.fake.bulk(lines))
        if path.endswith("/_search"):
            name = path.removesuffix("/_search").strip("/")
            if name not in self.fake.indexes:
                return self._answer(404, {"error": {"type": "index_not_found_exception"}})
            return self._answer(200, self.fake.search(name, json.loads(self._body())))
        self._answer(400, {"error": f"not faked: {self.command} {self.path}"})

    do_GET = do_POST
