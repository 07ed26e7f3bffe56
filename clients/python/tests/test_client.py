"""The Python client against the real lede-searchd (see harness.py).

Three suites, run one at a time by run.py: Core (every method, pipelining,
timeouts, every error the daemon can produce, closing), Auth and Tls. Auth
and Tls skip, naming the missing server feature, while lede-searchd refuses
their config keys.
"""

from __future__ import annotations

import os
import socket
import ssl
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import lede  # noqa: E402
from harness import (Daemon, FeatureMissing, RemoteShard, Workspace,  # noqa: E402
                     make_cert)

MAX_LINE_BYTES = 4096
REQUEST_TIMEOUT_MS = 400
AUTH_FAIL_DELAY_MS = 200


class Core(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.ws = Workspace()
        cls.daemon = Daemon(cls.ws, opts=[f"max_line_bytes={MAX_LINE_BYTES}",
                                         f"request_timeout_ms={REQUEST_TIMEOUT_MS}"])

    @classmethod
    def tearDownClass(cls) -> None:
        try:
            cls.daemon.stop()
        finally:
            cls.ws.remove()

    def client(self, **kw) -> lede.Client:
        c = lede.Client("127.0.0.1", self.daemon.port, timeout=10, **kw)
        self.addCleanup(c.close)
        return c

    def stats(self) -> dict:
        with self.client() as c:
            return c.stats()

    # ---- the operations ---------------------------------------------------

    def test_ping(self) -> None:
        self.assertEqual(self.client().ping(), {"ok": True, "pong": True})

    def test_search_fields(self) -> None:
        c = self.client()
        r = c.search("water", limit=3, facets=["source", "year"], sort="date")
        self.assertTrue(r["ok"])
        self.assertGreater(r["total"], 3)
        self.assertEqual([h["rank"] for h in r["hits"]], [1, 2, 3])
        dates = [h["date"] for h in r["hits"]]
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.assertIn("\u0002", r["hits"][0]["snippet"])
        self.assertEqual(sum(r["facets"]["source"].values()), r["total"])
        page2 = c.search("water", limit=3, offset=3, sort="date")
        self.assertEqual(page2["hits"][0]["rank"], 4)

    def test_search_filter_match_snippet(self) -> None:
        c = self.client()
        r = c.search("water", filter={"source": "Harbor Wire", "date": {"from": "2022"}},
                     snippet=False, limit=50)
        self.assertGreater(r["total"], 0)
        for h in r["hits"]:
            self.assertEqual(h["source"], "Harbor Wire")
            self.assertGreaterEqual(h["date"], "2022")
            self.assertNotIn("snippet", h)
        relaxed = c.search("reservoir zzzqqq")
        self.assertIs(relaxed.get("relaxed"), True)
        self.assertEqual(c.search("reservoir zzzqqq", match="all")["total"], 0)
        self.assertGreater(c.search("reservoir zzzqqq", match="any")["total"], 0)
        self.assertEqual(c.search("reservoyr", spelling="suggest")["suggestion"], "reservoir")
        self.assertEqual(c.search("reservoyr")["corrected"], {"q": "reservoir", "from": "reservoyr"})
        self.assertNotIn("suggestion", c.search("reservoyr", suggest=False))

    def test_search_everything_and_id(self) -> None:
        c = self.client()
        self.assertEqual(c.search(limit=0)["total"], 60)
        self.assertEqual(c.search("water", id="mine")["id"], "mine")
        # An id of the client's own is not in the reply.
        self.assertNotIn("id", c.search("water"))

    def test_get_similar_suggest(self) -> None:
        c = self.client()
        doc = c.get("sample-001")["doc"]
        self.assertEqual(doc["id"], "sample-001")
        self.assertIn("water restrictions", doc["title"])
        sim = c.similar("sample-001", limit=4)
        self.assertEqual(len(sim["hits"]), 4)
        self.assertNotIn("sample-001", [h["id"] for h in sim["hits"]])
        sug = c.suggest("port cal")
        self.assertIn("port calder", sug["suggestions"])
        self.assertTrue(sug["titles"])

    def test_stats_and_raw(self) -> None:
        c = self.client()
        before = c.stats()["requests"]["ping"]
        self.assertEqual(c.raw("PING"), {"ok": True, "pong": True})
        s = c.raw(b"STATS")
        self.assertEqual(s["requests"]["ping"], before + 1)
        self.assertEqual(s["index"]["documents"], 60)
        self.assertEqual(c.request("suggest", q="wat", limit=1)["suggestions"], ["water"])
        with self.assertRaises(ValueError):
            c.raw("PING\nPING")  # two requests would put the replies out of step
        self.assertEqual(c.ping()["pong"], True)

    # ---- pipelining -------------------------------------------------------

    def test_send_many_in_order(self) -> None:
        c = self.client()
        words = ["water", "reservoir", "port", "calder", "drought"] * 20
        reqs = [{"op": "search", "q": w, "limit": 1 + i % 7, "snippet": False}
                for i, w in enumerate(words)]
        replies = c.send_many(reqs)
        self.assertEqual(len(replies), 100)
        for i, (req, rep) in enumerate(zip(reqs, replies)):
            alone = c.search(req["q"], limit=req["limit"], snippet=False)
            self.assertEqual(len(rep["hits"]), min(req["limit"], alone["total"]), i)
            self.assertEqual([h["id"] for h in rep["hits"]], [h["id"] for h in alone["hits"]])

    def test_send_many_all_in_flight(self) -> None:
        """100 requests are all sent before the first reply is read: a
        server that answered one at a time would be seen as 100 requests
        on one connection with no reply read in between."""
        c = self.client()
        events = []
        real_send, real_read = c._send, c._read_reply
        c._send = lambda data: (events.append("send"), real_send(data))[1]
        c._read_reply = lambda t: (events.append("read"), real_read(t))[1]
        replies = c.send_many([{"op": "ping"}] * 100)
        self.assertEqual(replies, [{"ok": True, "pong": True}] * 100)
        self.assertEqual(events, ["send"] * 100 + ["read"] * 100)

    def test_send_many_past_window(self) -> None:
        c = self.client()
        n = 3000  # ~120 KB of requests: more than PIPELINE_WINDOW_BYTES
        replies = c.send_many([{"op": "suggest", "q": "wat", "limit": 1, "id": i}
                               for i in range(n)])
        self.assertEqual([r["id"] for r in replies], list(range(n)))

    def test_send_many_errors_keep_step(self) -> None:
        c = self.client()
        reqs = [{"op": "get", "doc": "sample-002"}, {"op": "get", "doc": "nope"},
                {"op": "search", "q": "water", "limit": 1000}, {"op": "ping"}]
        with self.assertRaises(lede.NotFoundError):
            c.send_many(reqs)
        got = c.send_many(reqs, raise_on_error=False)
        self.assertEqual(got[0]["doc"]["id"], "sample-002")
        self.assertIsInstance(got[1], lede.NotFoundError)
        self.assertIsInstance(got[2], lede.OverLimitError)
        self.assertEqual(got[3], {"ok": True, "pong": True})
        self.assertEqual(c.ping()["pong"], True)

    def test_pipeline_context(self) -> None:
        c = self.client()
        with c.pipeline() as p:
            p.search("water", limit=1).get("sample-003").suggest("harr").ping()
        search, doc, sug, pong = p.results
        self.assertEqual(len(search["hits"]), 1)
        self.assertEqual(doc["doc"]["id"], "sample-003")
        self.assertIn("harrow", sug["suggestions"])
        self.assertTrue(pong["pong"])
        p.stats()
        self.assertEqual(len(p.execute()), 1)

    # ---- errors -----------------------------------------------------------

    def assert_error(self, cls, call, code) -> lede.ServerError:
        with self.assertRaises(cls) as cm:
            call()
        self.assertEqual(cm.exception.code, code)
        self.assertTrue(cm.exception.message)
        self.assertIsInstance(cm.exception, lede.ServerError)
        return cm.exception

    def test_errors_that_keep_the_connection(self) -> None:
        c = self.client()
        before = self.stats()["errors"]
        self.assert_error(lede.BadJsonError, lambda: c.raw('{"op":'), "bad_json")
        e = self.assert_error(lede.BadRequestError, lambda: c.search("x", limitt=3), "bad_request")
        self.assertIn("limitt", e.message)
        self.assert_error(lede.BadRequestError, lambda: c.request("frobnicate"), "bad_request")
        self.assert_error(lede.BadQueryError, lambda: c.search("a*"), "bad_query")
        e = self.assert_error(lede.OverLimitError, lambda: c.search("x", limit=101), "over_limit")
        self.assertIn("101", e.message)
        self.assert_error(lede.InvalidUtf8Error, lambda: c.raw(b"SEARCH \xff\xfe"), "invalid_utf8")
        self.assert_error(lede.NulByteError, lambda: c.raw(b"SEARCH a\x00b"), "nul_byte")
        e = self.assert_error(lede.NotFoundError, lambda: c.get("no-such-doc", id="g1"), "not_found")
        self.assertEqual(e.id, "g1")
        self.assertEqual(e.reply["error"]["code"], "not_found")
        self.assertFalse(c.closed)
        self.assertTrue(c.ping()["pong"])
        after = self.stats()["errors"]
        for code, n in [("bad_json", 1), ("bad_request", 2), ("bad_query", 1), ("over_limit", 1),
                        ("invalid_utf8", 1), ("nul_byte", 1), ("not_found", 1)]:
            self.assertEqual(after[code] - before[code], n, code)

    def test_line_too_long_closes(self) -> None:
        c = self.client()
        self.assert_error(lede.LineTooLongError, lambda: c.search("x" * MAX_LINE_BYTES),
                          "line_too_long")
        self.assertTrue(c.closed)
        with self.assertRaises(lede.LedeConnectionError):
            c.ping()

    def test_request_timeout_closes(self) -> None:
        c = self.client()
        c._sock.sendall(b'{"op":"pi')  # half a request, never finished
        time.sleep(REQUEST_TIMEOUT_MS / 1000 * 2)
        self.assert_error(lede.ServerTimeoutError, c.ping, "timeout")
        self.assertTrue(c.closed)

    def test_too_many_connections(self) -> None:
        d = Daemon(self.ws, opts=["max_connections=2"])
        try:
            a = lede.Client("127.0.0.1", d.port, timeout=10)
            b = lede.Client("127.0.0.1", d.port, timeout=10)
            a.ping(), b.ping()
            c = lede.Client("127.0.0.1", d.port, timeout=10)
            self.assert_error(lede.TooManyConnectionsError, c.ping, "too_many_connections")
            self.assertTrue(c.closed)
            self.assertEqual(a.stats()["connections"]["rejected"], 1)
            a.close(), b.close()
        finally:
            d.stop()

    def test_unavailable(self) -> None:
        """Through a remote shard (xapian-tcpsrv): searches work, and once the
        shard is gone the index cannot be read (unavailable)."""
        shard = RemoteShard(self.ws)
        d = Daemon(self.ws, db=shard.stub, threads=1)
        try:
            with lede.Client("127.0.0.1", d.port, timeout=10) as c:
                self.assertEqual(c.get("sample-001")["doc"]["id"], "sample-001")
                self.assertTrue(c.search("water")["hits"])
                shard.kill()
                self.assert_error(lede.UnavailableError, lambda: c.get("sample-001"),
                                  "unavailable")
                self.assertTrue(c.ping()["pong"])
        finally:
            shard.kill()
            d.stop()

    def test_unknown_code_is_server_error(self) -> None:
        e = lede.errors.error_from_reply({"ok": False, "error": {"code": "new_one", "message": "m"}})
        self.assertIs(type(e), lede.ServerError)
        self.assertEqual((e.code, e.message), ("new_one", "m"))
        internal = {"ok": False, "error": {"code": "internal", "message": "m"}}
        self.assertIs(type(lede.errors.error_from_reply(internal)), lede.InternalError)
        for code, cls in lede.ERRORS.items():
            self.assertIs(type(lede.errors.error_from_reply(
                {"ok": False, "error": {"code": code, "message": ""}})), cls)

    # ---- connections and timeouts -----------------------------------------

    def test_connection_refused(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]  # bound, not listening: refused
            with self.assertRaises(lede.LedeConnectionError) as cm:
                lede.Client("127.0.0.1", port, timeout=5)
            self.assertNotIsInstance(cm.exception, lede.LedeTimeoutError)
            self.assertIsInstance(cm.exception, ConnectionError)

    def test_timeout_on_silent_server(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen(1)  # accepts (in the kernel) but never answers
            c = lede.Client("127.0.0.1", s.getsockname()[1], timeout=0.3)
            t0 = time.monotonic()
            with self.assertRaises(lede.LedeTimeoutError) as cm:
                c.ping()
            took = time.monotonic() - t0
            self.assertGreaterEqual(took, 0.29)
            self.assertLess(took, 3)
            self.assertIsInstance(cm.exception, TimeoutError)
            self.assertTrue(c.closed)

    def test_server_closing_midway(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen(1)

            def half_reply() -> None:
                conn, _ = s.accept()
                conn.recv(100)
                conn.sendall(b'{"ok":tr')
                conn.close()
            t = threading.Thread(target=half_reply)
            t.start()
            c = lede.Client("127.0.0.1", s.getsockname()[1], timeout=5)
            with self.assertRaises(lede.LedeConnectionError) as cm:
                c.ping()
            self.assertIn("closed", str(cm.exception))
            t.join()

    def test_clean_close(self) -> None:
        c = lede.Client("127.0.0.1", self.daemon.port, timeout=10)
        with c:
            self.assertGreaterEqual(c.stats()["connections"]["current"], 1)
        self.assertTrue(c.closed)
        c.close()  # idempotent
        with self.assertRaises(lede.LedeConnectionError):
            c.ping()
        watch = self.client()
        s0 = self.settled(watch)
        lede.Client("127.0.0.1", self.daemon.port).close()
        s1 = self.settled(watch)
        self.assertEqual(s1["connections"]["current"], 1)  # watch only
        self.assertEqual(s1["requests"]["quit"], s0["requests"]["quit"] + 1)
        self.assertEqual(s1["connections"]["total"], s0["connections"]["total"] + 1)

    @staticmethod
    def settled(watch: lede.Client) -> dict:
        """STATS once every connection but ``watch`` is counted out (the
        server does that just after a connection's last reply)."""
        deadline = time.monotonic() + 5
        while True:
            s = watch.stats()
            if s["connections"]["current"] == 1 or time.monotonic() > deadline:
                return s
            time.sleep(0.01)


class Auth(unittest.TestCase):
    TOKEN = "s3cret-token"

    @classmethod
    def setUpClass(cls) -> None:
        cls.ws = Workspace()
        try:
            cls.daemon = Daemon(cls.ws, opts=[f"auth_token={cls.TOKEN}",
                                             f"auth_fail_delay_ms={AUTH_FAIL_DELAY_MS}"])
        except FeatureMissing as e:
            cls.ws.remove()
            raise unittest.SkipTest(f"{e}: the server side of issue 15 auth "
                                    "(auth_token) is not in this lede-searchd yet")

    @classmethod
    def tearDownClass(cls) -> None:
        try:
            cls.daemon.stop()
        finally:
            cls.ws.remove()

    def test_token_opens(self) -> None:
        with lede.Client("127.0.0.1", self.daemon.port, token=self.TOKEN) as c:
            self.assertEqual(c.search("water", limit=1)["total"] > 0, True)
            self.assertEqual(c.get("sample-001")["doc"]["id"], "sample-001")

    def test_no_token(self) -> None:
        with lede.Client("127.0.0.1", self.daemon.port) as c:
            self.assertTrue(c.ping()["pong"])  # allowed before auth
            for call in (lambda: c.search("water"), c.stats, lambda: c.get("sample-001")):
                with self.assertRaises(lede.AuthRequiredError):
                    call()
            self.assertFalse(c.closed)
            c.request("auth", token=self.TOKEN)
            self.assertTrue(c.stats()["ok"])

    def test_wrong_token(self) -> None:
        with lede.Client("127.0.0.1", self.daemon.port, token=self.TOKEN) as watch:
            failures = watch.stats()["auth_failures"]
            t0 = time.monotonic()
            with self.assertRaises(lede.AuthFailedError) as cm:
                lede.Client("127.0.0.1", self.daemon.port, token="wrong")
            self.assertEqual(cm.exception.code, "auth_failed")
            # Failures are answered late.
            self.assertGreaterEqual(time.monotonic() - t0, AUTH_FAIL_DELAY_MS / 1000 * 0.9)
            self.assertEqual(watch.stats()["auth_failures"], failures + 1)

    def test_token_against_open_server(self) -> None:
        """A client with a token works against a server without one."""
        ws = Workspace()
        d = Daemon(ws)
        try:
            with lede.Client("127.0.0.1", d.port, token="any") as c:
                self.assertGreater(c.search("water")["total"], 0)
        finally:
            d.stop()
            ws.remove()

    def test_auth_field(self) -> None:
        with lede.Client("127.0.0.1", self.daemon.port) as c:
            self.assertTrue(c.search("water", auth=self.TOKEN)["ok"])
            self.assertTrue(c.search("water")["ok"])  # stays authenticated

    def test_three_failures_close(self) -> None:
        c = lede.Client("127.0.0.1", self.daemon.port, timeout=30)
        for _ in range(3):
            with self.assertRaises(lede.AuthFailedError):
                c.request("auth", token="nope")
        with self.assertRaises(lede.LedeConnectionError):
            c.ping()

    def test_token_file(self) -> None:
        path = self.ws.path("token")
        with open(path, "w") as f:
            f.write("from-a-file\n")
        d = Daemon(self.ws, opts=[f"auth_token_file={path}",
                                  f"auth_fail_delay_ms={AUTH_FAIL_DELAY_MS}"])
        try:
            with lede.Client("127.0.0.1", d.port, token="from-a-file") as c:
                self.assertTrue(c.stats()["ok"])
            with self.assertRaises(lede.AuthFailedError):
                lede.Client("127.0.0.1", d.port, token=self.TOKEN)
        finally:
            d.stop()


class Tls(unittest.TestCase):
    TOKEN = "tls-and-token"

    @classmethod
    def setUpClass(cls) -> None:
        cls.ws = Workspace()
        cls.cert, key = make_cert(cls.ws, "server")
        cls.other_ca, _ = make_cert(cls.ws, "other")
        try:
            cls.daemon = Daemon(cls.ws, opts=[f"tls_cert={cls.cert}", f"tls_key={key}"])
        except FeatureMissing as e:
            cls.ws.remove()
            raise unittest.SkipTest(f"{e}: the server side of issue 15 TLS "
                                    "(tls_cert, tls_key) is not in this lede-searchd yet")
        cls.key = key

    @classmethod
    def tearDownClass(cls) -> None:
        try:
            cls.daemon.stop()
        finally:
            cls.ws.remove()

    def test_verified(self) -> None:
        for host in ("127.0.0.1", "localhost"):
            with lede.Client(host, self.daemon.port, tls=True, cafile=self.cert) as c:
                self.assertTrue(c.ping()["pong"])
                self.assertGreater(c.search("water")["total"], 0)
                replies = c.send_many([{"op": "ping"}] * 100)
                self.assertEqual(len(replies), 100)

    def test_wrong_ca_refused(self) -> None:
        with self.assertRaises(lede.LedeConnectionError) as cm:
            lede.Client("127.0.0.1", self.daemon.port, tls=True, cafile=self.other_ca)
        self.assertIn("certificate", str(cm.exception).lower())

    def test_plain_client_gets_nothing(self) -> None:
        with self.assertRaises(lede.LedeConnectionError):
            c = lede.Client("127.0.0.1", self.daemon.port, timeout=3)
            c.ping()

    def test_tls_client_against_plain_server(self) -> None:
        ws = Workspace()
        d = Daemon(ws, opts=["request_timeout_ms=300"])
        try:
            with self.assertRaises(lede.LedeConnectionError):
                lede.Client("127.0.0.1", d.port, tls=True, cafile=self.cert, timeout=5)
        finally:
            d.stop()
            ws.remove()

    def test_tls_with_token(self) -> None:
        d = Daemon(self.ws, opts=[f"tls_cert={self.cert}", f"tls_key={self.key}",
                                  f"auth_token={self.TOKEN}", "tls_min_version=1.3"])
        try:
            with lede.Client("127.0.0.1", d.port, tls=True, cafile=self.cert,
                             token=self.TOKEN) as c:
                self.assertEqual(c.get("sample-001")["doc"]["id"], "sample-001")
            with lede.Client("127.0.0.1", d.port, tls=True, cafile=self.cert) as c:
                with self.assertRaises(lede.AuthRequiredError):
                    c.search("water")
            # tls_min_version = 1.3: a client that stops at 1.2 is refused.
            ctx = ssl.create_default_context(cafile=self.cert)
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            with self.assertRaises(lede.LedeConnectionError):
                lede.Client("127.0.0.1", d.port, ssl_context=ctx, token=self.TOKEN)
        finally:
            d.stop()


if __name__ == "__main__":
    unittest.main()
