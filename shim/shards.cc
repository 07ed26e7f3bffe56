// The shards behind a reading handle: opening each one (a local index or a
// remote served by xapian-tcpsrv), searching the ones that are up as one
// database (statistics stay global: Xapian combines them), reconnecting
// what broke, and following a rebuilt shard to its new database.
//
// A handle is used by one thread at a time (each worker has its own), so
// nothing here locks. A shard that fails is marked down and tried again
// after RETRY_S, then after twice that, up to RETRY_MAX_S: a dead server
// costs a refused connection now and then, not one per request, and a
// hung one (whose attempts wait shard_connect_timeout_ms) stalls a
// request at most every RETRY_MAX_S.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "facet_key.h"
#include "internal.h"
#include "parser.h"

namespace {

constexpr double RETRY_S = 1.0;
constexpr double RETRY_MAX_S = 30.0;

// Looking for changes (lede-searchd's main thread, every reload interval)
// connects with at most this timeout: a hung server must not hold that
// thread's loop (HTTP, accepting) for the whole connect timeout.
constexpr unsigned PROBE_MS = 500;

unsigned probe_ms(const shim_db_t *h) {
    return h->opts.connect_timeout_ms < PROBE_MS ? h->opts.connect_timeout_ms : PROBE_MS;
}

// "tcp://HOST:PORT" (HOST may be [an:ip:v6]) into host and port.
bool parse_endpoint(const std::string &spec, std::string &host, unsigned &port) {
    const std::string scheme = "tcp://";
    if (spec.compare(0, scheme.size(), scheme) != 0) return false;
    std::string rest = spec.substr(scheme.size());
    size_t colon = rest.rfind(':');
    if (colon == std::string::npos || colon + 1 == rest.size())
        throw Xapian::InvalidArgumentError("shard " + spec + ": expected tcp://HOST:PORT");
    char *end = nullptr;
    unsigned long n = strtoul(rest.c_str() + colon + 1, &end, 10);
    if (*end || n == 0 || n > 65535)
        throw Xapian::InvalidArgumentError("shard " + spec + ": bad port");
    host = rest.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    port = static_cast<unsigned>(n);
    return true;
}

// A remote shard's servers: "tcp://A:1|tcp://B:1" lists replicas of one
// shard, tried in turn. False for a local path.
bool parse_remote(const std::string &spec, shim::shard &s) {
    for (size_t start = 0; start <= spec.size();) {
        size_t bar = spec.find('|', start);
        std::string one = spec.substr(start, bar == std::string::npos ? bar : bar - start);
        std::string host;
        unsigned port = 0;
        if (!parse_endpoint(one, host, port)) {
            if (start == 0 && bar == std::string::npos) return false; // a local path
            throw Xapian::InvalidArgumentError("shard " + spec +
                                               ": a replica must be tcp://HOST:PORT");
        }
        s.replicas.emplace_back(host, port);
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    s.host = s.replicas[0].first, s.port = s.replicas[0].second;
    return true;
}

// Connects to the server in use, else to the shard's other replicas in
// turn; the one that answers is in use from then on.
Xapian::Database open_remote(const shim_db_t *h, shim::shard &s, unsigned connect_ms) {
    size_t n = s.replicas.size(), first = 0;
    while (first < n && (s.replicas[first].first != s.host || s.replicas[first].second != s.port))
        first++;
    for (size_t k = 0;; k++) {
        const auto &r = s.replicas[(first + k) % n];
        try {
            Xapian::Database db =
                Xapian::Remote::open(r.first, r.second, h->opts.timeout_ms, connect_ms);
            s.host = r.first, s.port = r.second;
            return db;
        } catch (const Xapian::NetworkError &) {
            if (k + 1 >= n) throw;
        }
    }
}

bool same_file(const struct stat &a, const struct stat &b) {
    return a.st_ino == b.st_ino && a.st_dev == b.st_dev && a.st_size == b.st_size &&
           a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

bool stub_switched(const std::string &stub, const struct stat &seen) {
    struct stat st;
    if (stub.empty() || stat(stub.c_str(), &st) != 0) return false;
    return !same_file(st, seen);
}

void connect(const shim_db_t *h, shim::shard &s, unsigned connect_ms) {
    if (s.remote()) {
        s.db = open_remote(h, s, connect_ms);
        s.uuid = s.db.get_uuid();
    } else {
        struct stat st = {};
        if (!s.stub_path.empty()) stat(s.stub_path.c_str(), &st);
        s.db = Xapian::Database(s.spec);
        s.stub_stat = st;
    }
    s.up = true;
    s.failures = 0;
    s.err.clear();
}

void mark_down(shim::shard &s, const std::string &why) {
    s.up = false;
    s.err = why;
    double wait = RETRY_S * static_cast<double>(1u << (s.failures < 5 ? s.failures : 5));
    s.retry_at = shim::now_s() + (wait < RETRY_MAX_S ? wait : RETRY_MAX_S);
    s.failures++;
    s.db = Xapian::Database();
}

bool try_connect(const shim_db_t *h, shim::shard &s, unsigned connect_ms) {
    try {
        connect(h, s, connect_ms);
        return true;
    } catch (const Xapian::Error &e) {
        mark_down(s, e.get_description());
        return false;
    }
}

// A remote shard's server reopens its database for us; a rebuilt shard
// (a new generation: another database, another UUID) is seen only by a
// new connection, whose server opens the stub afresh.
bool reopen_remote(const shim_db_t *h, shim::shard &s) {
    Xapian::Database fresh = open_remote(h, s, probe_ms(h));
    std::string uuid = fresh.get_uuid();
    if (uuid != s.uuid) {
        s.db = fresh;
        s.uuid = uuid;
        return true;
    }
    try {
        return s.db.reopen();
    } catch (const Xapian::NetworkError &) { // the old connection had gone idle
        s.db = fresh;
        return true;
    }
}

bool reopen_shard(const shim_db_t *h, shim::shard &s) {
    if (s.remote()) return reopen_remote(h, s);
    if (!stub_switched(s.stub_path, s.stub_stat)) return s.db.reopen();
    connect(h, s, h->opts.connect_timeout_ms);
    return true;
}

// A stub line's database as a shard spec: a path relative to the stub's
// directory, or tcp://HOST:PORT.
std::string spec_of_line(const std::string &stub, const std::string &line) {
    size_t sp = line.find_first_of(" \t");
    std::string type = line.substr(0, sp), arg;
    if (sp != std::string::npos) arg = line.substr(line.find_first_not_of(" \t", sp));
    if (type == "remote" && !arg.empty() && arg[0] != ':') return "tcp://" + arg;
    if ((type != "auto" && type != "glass") || arg.empty())
        throw Xapian::InvalidArgumentError(stub +
                                           ": a shard line must be 'auto PATH', "
                                           "'glass PATH' or 'remote HOST:PORT', not '" +
                                           line + "'");
    if (arg[0] == '/') return arg;
    size_t slash = stub.rfind('/');
    return slash == std::string::npos ? arg : stub.substr(0, slash + 1) + arg;
}

} // namespace

// The stub whose replacement means "a new database was swapped in": path
// itself when it is a file, path/XAPIANDB for lede's index layout.
std::string shim::find_stub(const std::string &path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return "";
    if (S_ISREG(st.st_mode)) return path;
    std::string stub = path + "/XAPIANDB";
    return stat(stub.c_str(), &st) == 0 ? stub : "";
}

void shim::shards_from_spec(shim_db_t *h, const std::string &spec) {
    shard s;
    s.spec = spec;
    if (!parse_remote(spec, s)) s.stub_path = shim::find_stub(spec);
    h->remote = h->remote || s.remote();
    try {
        connect(h, s, h->opts.connect_timeout_ms);
    } catch (const Xapian::Error &e) {
        if (!h->opts.partial) throw;
        mark_down(s, e.get_description()); // served without it until it is back
    }
    h->shards.push_back(s);
}

void shim::shards_from_stub(shim_db_t *h, const std::string &stub) {
    FILE *f = fopen(stub.c_str(), "r");
    if (!f) throw Xapian::DatabaseOpeningError(stub + ": " + strerror(errno));
    std::vector<std::string> specs;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        std::string l(line);
        l.erase(l.find_last_not_of(" \t\r\n") + 1);
        l.erase(0, l.find_first_not_of(" \t"));
        if (!l.empty() && l[0] != '#') specs.push_back(l);
    }
    fclose(f);
    for (const auto &l : specs) shards_from_spec(h, spec_of_line(stub, l));
}

void shim::shards_combine(shim_db_t *h) {
    Xapian::Database all;
    size_t up = 0;
    h->remote_subs.clear();
    for (const auto &s : h->shards) {
        if (!s.up) continue;
        all.add_database(s.db), up++;
        h->remote_subs.insert(h->remote_subs.end(), s.db.size(), s.remote());
    }
    h->db = up == 1 && h->shards.size() == 1 ? h->shards[0].db : all;
    // Asked once per change of the shards rather than per search: over
    // remote shards the question is a round trip to each.
    try {
        h->facet_keys = shim::has_facet_keys(h->db);
    } catch (const Xapian::Error &) {
        h->facet_keys = false; // each facet from its own slot: slower, as exact
    }
    if (h->opts.spelling.empty()) h->spell = h->db;
    setup_parser(h);
}

bool shim::shards_reopen(shim_db_t *h) {
    bool changed = false;
    for (auto &s : h->shards) {
        // A shard back up may hold a new database: the handle that looks
        // for changes (lede-searchd's main thread) must see it at once,
        // not after the backoff that spares requests.
        if (!s.up) {
            changed = try_connect(h, s, probe_ms(h)) || changed;
            continue;
        }
        try {
            changed = reopen_shard(h, s) || changed;
        } catch (const Xapian::NetworkError &e) {
            mark_down(s, e.get_description());
            changed = true;
        }
    }
    if (!h->opts.spelling.empty()) changed = h->spell.reopen() || changed;
    if (changed) shards_combine(h);
    return changed;
}

lede_status_t shim::shards_ready(shim_db_t *h) noexcept {
    try {
        bool changed = false;
        double now = now_s();
        for (auto &s : h->shards)
            if (!s.up && now >= s.retry_at)
                changed = try_connect(h, s, h->opts.connect_timeout_ms) || changed;
        if (changed) shards_combine(h);
        size_t up = 0;
        for (const auto &s : h->shards) {
            if (s.up)
                up++;
            else if (!h->opts.partial)
                return h->err = "shard " + s.spec + " is unavailable: " + s.err, LEDE_E_NETWORK;
        }
        if (up == 0) return h->err = "no shard is available", LEDE_E_NETWORK;
        return LEDE_OK;
    } catch (...) {
        return status_from_exception(h->err);
    }
}

bool shim::shards_repair(shim_db_t *h) noexcept {
    bool changed = false;
    try {
        for (auto &s : h->shards) {
            if (!s.remote() || !s.up) continue;
            try {
                s.db.keep_alive();
            } catch (const Xapian::NetworkTimeoutError &e) {
                // A server that does not answer would not answer a new
                // connection either: down, without another timeout. But
                // "REMOTE:Timeout..." is the server's own idle timeout,
                // sent as it closed the connection: reconnect.
                if (e.get_msg().compare(0, 7, "REMOTE:") == 0) {
                    try_connect(h, s, h->opts.connect_timeout_ms);
                } else {
                    mark_down(s, e.get_description());
                }
                changed = true;
            } catch (const Xapian::Error &) {
                // A closed connection (an idle timeout, a restart): up
                // again, or down until RETRY_S has passed.
                try_connect(h, s, h->opts.connect_timeout_ms);
                changed = true;
            }
        }
        if (changed) shards_combine(h);
    } catch (...) {
        status_from_exception(h->err);
        return false;
    }
    return changed;
}

SHIM_API size_t shim_db_shard_count(const shim_db_t *h) {
    return h->shards.size();
}

SHIM_API void shim_db_shard_info(const shim_db_t *h, size_t k, shim_shard_info_t *out) {
    const shim::shard &s = h->shards[k];
    *out = shim_shard_info_t{s.spec.c_str(), s.remote(), s.up, s.err.c_str(), 0};
    if (!s.up) return;
    try {
        out->doccount = s.db.get_doccount();
    } catch (...) {
        // The count is a nicety of STATS; the next read finds out why.
    }
}

SHIM_API size_t shim_db_shards_down(const shim_db_t *h) {
    size_t down = 0;
    for (const auto &s : h->shards) down += !s.up;
    return down;
}

SHIM_API lede_status_t shim_db_keepalive(shim_db_t *h) {
    if (!h->remote) return LEDE_OK;
    shim::shards_repair(h);
    return shim::shards_ready(h);
}
