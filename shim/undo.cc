// Giving back the space of a transaction that did not commit.
//
// Glass never overwrites a block its last commit uses: a transaction writes
// into blocks that commit left free and past the ends of the table files,
// and only the atomic switch of the version file makes it part of the
// database. So while the committed revision is the one a transaction
// started from, cutting each table file back to its size at that revision
// gives back everything the transaction wrote and leaves the database
// exactly as committed. Without this a failed update on a full disk would
// leave the files grown for good (a generation of 4.7 MB at 20.5 MB).
//
// A live writer (not SHIM_WRITER_FRESH) records the revision and the sizes
// in a note in the database directory before its first change, and removes
// it once its transaction has committed or been given back. A note found
// later is the mark of a writer that died (kill -9, or Xapian aborting the
// process): the next writer on the database, or shim_db_reclaim, acts on
// it. Every cut is made while holding Xapian's write lock, so no other
// writer can be working on the files.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "internal.h"

namespace shim {

namespace {

constexpr const char *NOTE_NAME = "lede-undo";
constexpr const char *NOTE_MAGIC = "lede-undo 1";
constexpr const char *TABLE_SUFFIX = ".glass";

std::string note_path(const std::string &dir) {
    return dir + "/" + NOTE_NAME;
}

bool is_table(const char *name) {
    size_t n = strlen(name), m = strlen(TABLE_SUFFIX);
    return n > m && strcmp(name + n - m, TABLE_SUFFIX) == 0;
}

// The size of every table file of the database at dir.
std::vector<std::pair<std::string, off_t>> table_sizes(const std::string &dir) {
    std::vector<std::pair<std::string, off_t>> sizes;
    DIR *d = opendir(dir.c_str());
    if (!d) throw Xapian::DatabaseError("cannot list " + dir, errno);
    struct dirent *e;
    while ((e = readdir(d)) != nullptr) {
        struct stat st;
        std::string path = dir + "/" + e->d_name;
        if (is_table(e->d_name) && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
            sizes.emplace_back(e->d_name, st.st_size);
    }
    closedir(d);
    return sizes;
}

bool write_all(int fd, const std::string &s) {
    size_t done = 0;
    while (done < s.size()) {
        ssize_t n = write(fd, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

// Writes the note durably (a temporary file, synced, renamed, the
// directory synced): a crash must not leave half a note.
bool save(const std::string &dir, const undo_note &n) {
    std::ostringstream text;
    text << NOTE_MAGIC << ' ' << n.revision << '\n';
    for (const auto &f : n.files) text << f.second << ' ' << f.first << '\n';
    std::string tmp = note_path(dir) + ".tmp";
    int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && write_all(fd, text.str()) && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0) ok = false;
    ok = ok && rename(tmp.c_str(), note_path(dir).c_str()) == 0;
    if (!ok) {
        unlink(tmp.c_str());
        return false;
    }
    int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return true;
}

bool load(const std::string &dir, undo_note *n) {
    std::ifstream in(note_path(dir));
    std::string magic, version, name;
    off_t size;
    if (!(in >> magic >> version >> n->revision) || magic + " " + version != NOTE_MAGIC)
        return false;
    n->files.clear();
    while (in >> size && in.get() == ' ' && std::getline(in, name))
        n->files.emplace_back(name, size);
    return true;
}

// Cuts the table files of dir back to the sizes in n; a table the note does
// not know was created after it and is emptied (not removed: a writer may
// hold it open). Returns the bytes given back.
uint64_t cut(const std::string &dir, const undo_note &n) {
    uint64_t freed = 0;
    for (const auto &now : table_sizes(dir)) {
        off_t keep = 0;
        for (const auto &then : n.files)
            if (then.first == now.first) keep = then.second;
        if (now.second <= keep) continue;
        std::string path = dir + "/" + now.first;
        if (truncate(path.c_str(), keep) != 0)
            throw Xapian::DatabaseError("cannot give back the space of " + path, errno);
        freed += static_cast<uint64_t>(now.second - keep);
    }
    return freed;
}

// Whether the database's committed state is still the one n recorded.
// The revision on disk decides, not the writer's. A commit that went
// through is the next revision: its data lives in what the note would cut.
// A commit that failed and was rolled back by Xapian (glass's
// modifications_failed) is recorded as the revision after that, with the
// tables' roots and free lists of the old one, so it uses no block past the
// noted sizes either.
bool still_noted(const std::string &dir, const undo_note &n) {
    Xapian::rev now = Xapian::Database(dir, Xapian::DB_BACKEND_GLASS).get_revision();
    return now == n.revision || now == n.revision + 2;
}

} // namespace

void undo_begin(shim_writer_t *w) {
    w->undo.revision = w->db.get_revision();
    w->undo.files = table_sizes(w->path);
    // Without the note the space is still given back when this writer
    // fails, just not after it dies; a full disk must not stop the update.
    (void)save(w->path, w->undo);
    w->has_undo = true;
}

void undo_forget(shim_writer_t *w) {
    if (!w->has_undo) return;
    w->has_undo = false;
    unlink(note_path(w->path).c_str());
}

uint64_t undo_give_back(const std::string &dir, const undo_note &n) {
    uint64_t freed = still_noted(dir, n) ? cut(dir, n) : 0;
    unlink(note_path(dir).c_str());
    return freed;
}

uint64_t undo_recover(const std::string &dir) {
    undo_note n;
    if (!load(dir, &n)) {
        unlink(note_path(dir).c_str()); // absent, or half-written by a crash
        return 0;
    }
    return undo_give_back(dir, n);
}

bool undo_pending(const std::string &dir) {
    return access(note_path(dir).c_str(), F_OK) == 0;
}

} // namespace shim

SHIM_API lede_status_t shim_db_reclaim(const char *path, uint64_t *freed, char **errmsg) {
    if (freed) *freed = 0;
    if (!path || !*path) return shim::report(errmsg, LEDE_E_INVALID, "no path");
    std::string msg;
    try {
        if (!shim::undo_pending(path)) return shim::report(errmsg, LEDE_OK, "");
        // Holding the write lock, so that no writer is using the space.
        Xapian::WritableDatabase db(path, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
        uint64_t n = shim::undo_recover(path);
        db.close();
        if (freed) *freed = n;
        return shim::report(errmsg, LEDE_OK, "");
    } catch (...) {
        lede_status_t st = shim::status_from_exception(msg);
        return shim::report(errmsg, st, msg);
    }
}
