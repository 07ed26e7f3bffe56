/* Unit tests for searchd/http_host.c: the Host headers the HTTP API
 * answers (DNS rebinding). */
#include "../../searchd/http_host.h"
#include "check.h"

static void expect(const char *listen, const char *allowed, const char *header, bool want) {
    bool got = http_host_allowed(listen, allowed, header);
    CHECK(got == want);
    if (got != want)
        fprintf(stderr, "  listen %s, allowed '%s', Host '%s': %s\n", listen, allowed,
                header ? header : "(none)", got ? "allowed" : "refused");
}

static void test_loopback(void) {
    static const char *const GOOD[] = {"localhost",    "LOCALHOST", "localhost:7879", "127.0.0.1",
                                       "127.0.0.1:80", "[::1]",     "[::1]:7879"};
    static const char *const BAD[] = {"evil.example",
                                      "evil.example:7879",
                                      "127.0.0.1.evil.example",
                                      "localhost.",
                                      "",
                                      ":7879",
                                      "[::1",
                                      "[::1]x",
                                      "localhost:",
                                      "localhost:80x",
                                      "localhost:123456",
                                      "a b",
                                      "u@localhost",
                                      "127.0.0.2",
                                      "[::2]",
                                      "localhost/x"};
    for (size_t i = 0; i < sizeof GOOD / sizeof GOOD[0]; i++)
        expect("127.0.0.1", "", GOOD[i], true);
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) expect("127.0.0.1", "", BAD[i], false);
    expect("127.0.0.1", "", NULL, true); /* no Host: HTTP/1.0 */
    expect("127.0.0.2", "", "127.0.0.2:9", true);
    expect("::1", "", "[::1]:9", true);
    expect("localhost", "", "localhost", true);
}

static void test_listed(void) {
    expect("127.0.0.1", "search.example.com, News.Example", "search.example.com", true);
    expect("127.0.0.1", "search.example.com, News.Example", "NEWS.example:443", true);
    expect("127.0.0.1", "search.example.com, News.Example", "localhost", true);
    expect("127.0.0.1", "search.example.com, News.Example", "example.com", false);
    expect("127.0.0.1", "search.example.com, News.Example", "search.example.co", false);
    expect("127.0.0.1", "*", "evil.example", true);
}

static void test_other_addresses(void) {
    expect("192.0.2.7", "", "192.0.2.7:7879", true);
    expect("192.0.2.7", "", "search.example", false); /* a name the operator must list */
    expect("192.0.2.7", "search.example", "search.example", true);
    expect("0.0.0.0", "", "anything.example", true); /* every interface: names unknown */
    expect("::", "", "anything.example", true);
    expect("0.0.0.0", "search.example", "anything.example", false);
    expect("0.0.0.0", "search.example", "search.example:80", true);
    expect("0.0.0.0", "", "bad host", false);
}

int main(void) {
    RUN(test_loopback);
    RUN(test_listed);
    RUN(test_other_addresses);
    return check_summary();
}
