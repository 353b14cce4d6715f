"""A stand-in for an OpenSearch server in tests, so that the real opensearch-py client is
driven over HTTP: the endpoints the project calls (an index's existence, creation and
deletion, _bulk, _search), answered from memory.

It is not OpenSearch. It refuses what a strict mapping refuses (a field the index does not
define) and evaluates the one query shape the project sends by the rules it asks for: every
word found in the fields copied to `all`, accent-folded, the last as a prefix; each `should`
clause adding its boost for each word its field holds; `filter` terms; `sort` by score, then
by a date, missing last. So the tests check what the project sends and how it reads the
answers, not OpenSearch's own ranking.
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
        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self):
        self.indexes.clear()
        self.searches.clear()
        self.refuse_writes = False

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def documents(self, index: str) -> dict[str, dict]:
        return self.indexes[index]["documents"]

    # The endpoints ------------------------------------------------------------------------

    def bulk(self, lines: list[dict]) -> dict:
        items = []
        while lines:
            action = lines.pop(0)
            ((operation, target),) = action.items()
            index = self.indexes.get(target["_index"])
            if operation == "index":
                document = lines.pop(0)
                status = self._index(index, target["_id"], document)
            else:
                found = index and index["documents"].pop(target["_id"], None)
                status = 200 if found else 404
            items.append(
                {operation: {"_index": target["_index"], "_id": target["_id"], "status": status}}
            )
        return {
            "errors": any(item[op]["status"] >= 300 for item in items for op in item),
            "items": items,
        }

    def _index(self, index, pk, document) -> int:
        if index is None:
            return 404
        if self.refuse_writes:
            return 429
        properties = index["definition"]["mappings"]["properties"]
        if set(document) - set(properties):
            return 400  # strict_dynamic_mapping_exception
        index["documents"][pk] = document
        return 201

    def search(self, name: str, body: dict) -> dict:
        self.searches.append((name, body))
        index = self.indexes[name]
        properties = index["definition"]["mappings"]["properties"]
        copied = [field for field, spec in properties.items() if spec.get("copy_to") == "all"]
        query = body["query"]["bool"]
        must = query["must"][0]["match_bool_prefix"]["all"]
        assert must["operator"] == "and"
        *whole, last = folded_words(must["query"])
        hits = []
        for pk, document in index["documents"].items():
            words = {w for field in copied for w in folded_words(document.get(field))}
            if not all(word in words for word in whole):
                continue
            if not any(word.startswith(last) for word in words):
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
        self.fake.indexes[name] = {"definition": json.loads(self._body()), "documents": {}}
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
