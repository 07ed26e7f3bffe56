/* lede-indexer on a full disk: each kind of run on a small tmpfs that is
 * filled up, then freed. After "No space left on device" the live index must
 * be readable and as it was, the space the failed run took must be given
 * back, and the next run must succeed once there is room again.
 *
 * Mounting a tmpfs needs root (CAP_SYS_ADMIN); without it the test is
 * skipped (exit 77). Each tmpfs is mounted in a mount namespace of this
 * process's own, so nothing stays mounted if the test dies. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../unit/check.h"
#include "indexer_util.h"

#define MB (1024L * 1024)
/* What the filler leaves free: less than any of the updates below needs. */
#define LEFT_FREE_BYTES (128 * 1024)

/* The inputs, off the tmpfs: articles k0 to k1999, k5999 and k19999, and
 * k2000 to k2299. */
static char base[4300], more[4300], big[4300], small[4300];

/* A fresh tmpfs of size bytes at a new directory; NULL when it cannot be
 * mounted. */
static char *mount_tmpfs(long size) {
    char *dir = check_tmpdir("disk");
    char opts[64];
    snprintf(opts, sizeof opts, "size=%ld,mode=0755", size);
    if (mount("lede-test", dir, "tmpfs", 0, opts) != 0) {
        printf("SKIP: cannot mount a tmpfs at %s: %s\n", dir, strerror(errno));
        rmdir(dir);
        free(dir);
        return NULL;
    }
    return dir;
}

static void unmount_tmpfs(char *dir) {
    if (umount2(dir, MNT_DETACH) != 0) perror("umount");
    rmdir(dir);
    free(dir);
}

/* Fills the file system of dir until `left` bytes are free. */
static void fill(const char *dir, long left) {
    struct statvfs vfs;
    char path[4200];
    snprintf(path, sizeof path, "%s/filler", dir);
    CHECK(statvfs(dir, &vfs) == 0);
    long avail = (long)(vfs.f_bavail * vfs.f_frsize), want = avail - left;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    CHECK(fd >= 0);
    if (fd >= 0 && want > 0) CHECK_INT(posix_fallocate(fd, 0, want), 0);
    if (fd >= 0) close(fd);
}

static void unfill(const char *dir) {
    char path[4200];
    snprintf(path, sizeof path, "%s/filler", dir);
    CHECK(unlink(path) == 0);
}

/* Bytes allocated to the files of generation name (gen-NNNNNN) of the
 * index at db. */
static long gen_bytes(const char *db, const char *name) {
    char gen[4400];
    snprintf(gen, sizeof gen, "%s/%s", db, name);
    DIR *d = opendir(gen);
    struct dirent *e;
    long sum = 0;
    while (d && (e = readdir(d)) != NULL) {
        char p[4700];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", gen, e->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) sum += (long)st.st_blocks * 512;
    }
    if (d) closedir(d);
    return sum;
}

/* The same for its live generation. */
static long live_bytes(const char *db) {
    char stub[4300], line[64];
    snprintf(stub, sizeof stub, "%s/XAPIANDB", db);
    FILE *f = fopen(stub, "r");
    bool ok = f && fgets(line, sizeof line, f) && strncmp(line, "auto ", 5) == 0;
    if (f) fclose(f);
    if (!ok) return -1;
    line[strcspn(line, "\n")] = '\0';
    return gen_bytes(db, line + 5);
}

/* Whether the index directory holds only the stub, the lock and the given
 * generations: no build area, no half-built generation. */
static bool only(const char *db, const char *gens) {
    DIR *d = opendir(db);
    struct dirent *e;
    bool clean = d != NULL;
    while (d && (e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, "XAPIANDB") || !strcmp(n, "lock"))
            continue;
        if (strncmp(n, "gen-", 4) == 0 && strstr(gens, n)) continue;
        fprintf(stderr, "  left in %s: %s\n", db, n);
        clean = false;
    }
    if (d) closedir(d);
    return clean;
}

/* xapian-check finds no fault in the live generation. */
static void check_xapian(const char *db) {
    char stub[4300], line[64], gen[4400], *out = NULL;
    snprintf(stub, sizeof stub, "%s/XAPIANDB", db);
    FILE *f = fopen(stub, "r");
    CHECK(f && fgets(line, sizeof line, f));
    if (f) fclose(f);
    line[strcspn(line, "\n")] = '\0';
    snprintf(gen, sizeof gen, "%s/%s", db, line + 5);
    char *argv[] = {"/usr/bin/xapian-check", gen, NULL};
    if (access(argv[0], X_OK) != 0) {
        printf("note: no %s (apt-get install xapian-tools); not checked\n", argv[0]);
        return;
    }
    int rc = check_run(argv, NULL, &out, NULL);
    if (rc != 0) fprintf(stderr, "  xapian-check %s:\n%s\n", gen, out);
    CHECK_INT(rc, 0);
    free(out);
}

/* The failure every run below must report: the cause, and the index kept. */
static void check_full(int rc, const char *err) {
    CHECK_INT(rc, 2);
    if (!err || !strstr(err, "No space left on device"))
        fprintf(stderr, "  exit %d, stderr: %s\n", rc, err ? err : "(none)");
    CHECK(err && strstr(err, "No space left on device"));
    CHECK(err && strstr(err, "is unchanged"));
}

/* A direct update that fills the disk gives back the space it took; the
 * next update, delete and rebuild succeed once there is room. */
static void test_direct_update(void) {
    char *mnt = mount_tmpfs(48 * MB), *out, *err;
    if (!mnt) return;
    char *db = db_path(mnt);
    CHECK_INT(INDEX(&out, &err, "--db", db, base), 0);
    free(out), free(err);
    long before = live_bytes(db);
    fill(mnt, LEFT_FREE_BYTES);
    const char *upd = fx("jsonl/update.jsonl");
    int rc = INDEX(&out, &err, "--db", db, "--update", "direct", more);
    check_full(rc, err);
    free(out), free(err);
    CHECK_INT(doccount(db), 2000);
    CHECK_INT(live_bytes(db), before);
    check_xapian(db);
    unfill(mnt);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--update", "direct", (char *)upd), 0);
    free(out), free(err);
    CHECK_INT(doccount(db), 2002);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--delete", "k1", "k2"), 0);
    free(out), free(err);
    CHECK_INT(doccount(db), 2000);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--rebuild", more), 0);
    free(out), free(err);
    CHECK_INT(doccount(db), 6000);
    unmount_tmpfs(mnt);
}

/* One direct update with `room` bytes free. Returns its exit status; a
 * failure is checked as check_full does, and then the index must be as it
 * was, check clean, and be back at `size` bytes after the next run. */
static int direct_with_room(const char *mnt, const char *db, long room, long size, int *stopped) {
    char *out, *err;
    fill(mnt, room);
    int rc = INDEX(&out, &err, "--db", db, "--update", "direct", small);
    unfill(mnt);
    if (rc != 0) {
        check_full(rc, err);
        *stopped += err && strstr(err, "(Xapian stopped the run)");
        CHECK_INT(doccount(db), 2000);
        check_xapian(db);
    }
    free(out), free(err);
    if (rc != 0) {
        CHECK_INT(INDEX(&out, &err, "--db", db, "--delete", "none-such"), 0);
        free(out), free(err);
        CHECK_INT(live_bytes(db), size);
    }
    return rc;
}

/* A direct update that runs out of room at any point: more and more free
 * space, in coarse steps until it succeeds and then in fine steps over the
 * last stretch before that, where its commit fails (and where Xapian 1.4
 * sometimes ends the process). Every failure names the cause and leaves
 * the index as it was, and the next run gives back what it took. */
static void test_direct_update_everywhere(void) {
    char *mnt = mount_tmpfs(24 * MB), *out, *err;
    if (!mnt) return;
    char *db = db_path(mnt);
    CHECK_INT(INDEX(&out, &err, "--db", db, base), 0);
    free(out), free(err);
    long size = live_bytes(db), room = 0, step = 128 * 1024, enough = -1;
    int runs = 0, stopped = 0;
    for (; enough < 0 && room < 8 * MB; room += step, runs++)
        if (direct_with_room(mnt, db, room, size, &stopped) == 0) enough = room;
    CHECK(enough > 0);
    CHECK_INT(doccount(db), 2300);
    /* Again from the start, over the stretch before enough. */
    check_rmtree(strdup(db));
    CHECK_INT(INDEX(&out, &err, "--db", db, base), 0);
    free(out), free(err);
    size = live_bytes(db);
    for (room = enough > 640 * 1024 ? enough - 640 * 1024 : 0; room < enough; room += 16 * 1024) {
        runs++;
        if (direct_with_room(mnt, db, room, size, &stopped) == 0) break;
    }
    printf("note: %d direct updates on a nearly full disk, %d of them stopped by Xapian\n", runs,
           stopped);
    unmount_tmpfs(mnt);
}

/* A delete on a full disk. */
static void test_delete(void) {
    char *mnt = mount_tmpfs(32 * MB), *out, *err;
    if (!mnt) return;
    char *db = db_path(mnt);
    CHECK_INT(INDEX(&out, &err, "--db", db, base), 0);
    free(out), free(err);
    long before = live_bytes(db);
    fill(mnt, 0);
    char *ids[25];
    char names[25][16];
    for (int i = 0; i < 25; i++) {
        snprintf(names[i], sizeof names[i], "k%d", i * 40);
        ids[i] = names[i];
    }
    int rc = run_indexer(&out, &err, 0, NULL, "--db", db, "--delete", ids[0], ids[1], ids[2],
                         ids[3], ids[4], ids[5], ids[6], ids[7], ids[8], ids[9], ids[10], ids[11],
                         ids[12], ids[13], ids[14], ids[15], ids[16], ids[17], ids[18], ids[19],
                         ids[20], ids[21], ids[22], ids[23], ids[24], (char *)NULL);
    check_full(rc, err);
    free(out), free(err);
    CHECK_INT(doccount(db), 2000);
    CHECK_INT(live_bytes(db), before);
    unfill(mnt);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--delete", ids[0], ids[1]), 0);
    free(out), free(err);
    CHECK_INT(doccount(db), 1998);
    unmount_tmpfs(mnt);
}

/* Bulk updates and rebuilds on a full disk leave nothing behind. */
static void test_bulk_and_rebuild(void) {
    char *mnt = mount_tmpfs(32 * MB), *out, *err;
    if (!mnt) return;
    char *db = db_path(mnt);
    CHECK_INT(INDEX(&out, &err, "--db", db, base), 0);
    free(out), free(err);
    fill(mnt, LEFT_FREE_BYTES);
    for (int threads = 1; threads <= 2; threads++) {
        char t[8];
        snprintf(t, sizeof t, "%d", threads);
        int rc = INDEX(&out, &err, "--db", db, "--threads", t, "--update", "bulk", more);
        check_full(rc, err);
        free(out), free(err);
        rc = INDEX(&out, &err, "--db", db, "--threads", t, "--rebuild", more);
        check_full(rc, err);
        free(out), free(err);
        CHECK_INT(doccount(db), 2000);
        CHECK(only(db, "gen-000001"));
    }
    check_xapian(db);
    unfill(mnt);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--update", "bulk", more), 0);
    free(out), free(err);
    CHECK_INT(doccount(db), 6000);
    unmount_tmpfs(mnt);
}

/* A bulk update that runs out of room at any point, from building the
 * shards to merging them and switching the stub: more and more room, in
 * 256 KB steps, until it succeeds. Every failure names the cause and
 * leaves the index as it was, with nothing of the run behind. */
static void test_bulk_update_everywhere(void) {
    char *mnt = mount_tmpfs(24 * MB), *out, *err;
    if (!mnt) return;
    char *db = db_path(mnt);
    CHECK_INT(INDEX(&out, &err, "--db", db, base), 0);
    free(out), free(err);
    int runs = 0, rc = 2;
    for (long room = 0; rc != 0 && room < 16 * MB; room += 256 * 1024, runs++) {
        fill(mnt, room);
        rc = INDEX(&out, &err, "--db", db, "--update", "bulk", small);
        unfill(mnt);
        if (rc != 0) {
            check_full(rc, err);
            CHECK_INT(doccount(db), 2000);
            CHECK(only(db, "gen-000001"));
        }
        free(out), free(err);
    }
    CHECK_INT(rc, 0);
    CHECK_INT(doccount(db), 2300);
    check_xapian(db);
    printf("note: %d bulk updates on a nearly full disk\n", runs);
    unmount_tmpfs(mnt);
}

/* Starts a direct update of big into db and kills it once it has grown the
 * live generation by 2 MB. */
static void kill_direct_update(const char *db) {
    long before = live_bytes(db);
    char *argv[] = {(char *)indexer, "--db", (char *)db, "--update", "direct", big, NULL};
    pid_t pid = check_spawn(argv, NULL, "/dev/null", NULL);
    double deadline = check_now_ms() + 60000;
    while (live_bytes(db) < before + 2 * MB && check_now_ms() < deadline) check_sleep_ms(2);
    kill(pid, SIGKILL);
    check_wait(pid, 0);
    CHECK(live_bytes(db) >= before + 2 * MB); /* it did grow */
}

/* A direct update killed after its transaction grew the live generation:
 * the next run, whatever it does, gives the space back first. */
static void test_killed_direct_update(void) {
    char *mnt = mount_tmpfs(96 * MB), *out, *err;
    if (!mnt) return;
    char *db = db_path(mnt);
    CHECK_INT(INDEX(&out, &err, "--db", db, base), 0);
    free(out), free(err);
    long before = live_bytes(db);
    kill_direct_update(db);
    CHECK_INT(doccount(db), 2000);
    check_xapian(db);
    /* A bulk update, which makes gen-000002 and keeps gen-000001 for
     * readers that still have it open. */
    CHECK_INT(INDEX(&out, &err, "--db", db, "--update", "bulk", (char *)fx("jsonl/good.jsonl")), 0);
    free(out), free(err);
    CHECK_INT(gen_bytes(db, "gen-000001"), before);
    CHECK_INT(doccount(db), 2006);
    /* A delete. */
    before = live_bytes(db);
    kill_direct_update(db);
    CHECK_INT(INDEX(&out, &err, "--db", db, "--delete", "none-such"), 0);
    free(out), free(err);
    CHECK_INT(live_bytes(db), before);
    CHECK_INT(doccount(db), 2006);
    check_xapian(db);
    unmount_tmpfs(mnt);
}

/* A mount namespace of our own, in which mounts do not propagate out. */
static bool private_mounts(void) {
    if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        printf("SKIP: lede-indexer on a full disk needs root to mount a tmpfs (%s)\n",
               strerror(errno));
        return false;
    }
    return true;
}

/* Under LeakSanitizer, lede-indexer's runs ignore what Xapian itself leaks
 * when its writes fail (tests/lsan-xapian.supp). */
static void suppress_xapian_leaks(void) {
    const char *old = getenv("LSAN_OPTIONS");
    char opts[4096];
    snprintf(opts, sizeof opts, "%s%ssuppressions=%s", old ? old : "", old && *old ? ":" : "",
             LEDE_LSAN_SUPPRESSIONS);
    setenv("LSAN_OPTIONS", opts, 1);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: test_indexer_disk PATH-TO-lede-indexer\n");
        return 2;
    }
    indexer = argv[1];
    suppress_xapian_leaks();
    if (!private_mounts()) return 77;
    char *probe = mount_tmpfs(MB);
    if (!probe) return 77;
    unmount_tmpfs(probe);
    char *tmp = check_tmpdir("diskin");
    snprintf(base, sizeof base, "%s/base.jsonl", tmp);
    snprintf(more, sizeof more, "%s/more.jsonl", tmp);
    snprintf(big, sizeof big, "%s/big.jsonl", tmp);
    snprintf(small, sizeof small, "%s/small.jsonl", tmp);
    write_corpus(base, 2000);
    write_corpus(more, 6000);
    write_corpus(big, 20000);
    write_corpus_from(small, 2000, 300);
    RUN(test_direct_update);
    RUN(test_direct_update_everywhere);
    RUN(test_delete);
    RUN(test_bulk_and_rebuild);
    RUN(test_bulk_update_everywhere);
    RUN(test_killed_direct_update);
    check_rmtree(tmp);
    return check_summary();
}
