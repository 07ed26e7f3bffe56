/* Unit tests of the test harness's process runner (check_run, check_spawn,
 * check_wait in check.h): exit statuses, captured output, stdin, the
 * file-size limit, the time limit and process groups. Children are /bin/sh scripts. */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

/* Runs `/bin/sh -c script` with opts; its status, output in *out and *err. */
static int sh(const char *script, const check_run_opts_t *opts, char **out, char **err) {
    char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
    return check_run(argv, opts, out, err);
}

static void test_status_and_output(void) {
    char *out = NULL, *err = NULL;
    CHECK_INT(sh("echo to-out; echo to-err >&2; exit 3", NULL, &out, &err), 3);
    CHECK_STR(out, "to-out\n");
    CHECK_STR(err, "to-err\n");
    free(out), free(err);
    CHECK_INT(sh("kill -TERM $$", NULL, NULL, NULL), 128 + SIGTERM);
    char *missing[] = {"/nonexistent/program", NULL};
    CHECK_INT(check_run(missing, NULL, NULL, NULL), 127);
}

static void test_stdin(void) {
    char *dir = check_tmpdir("check-stdin"), *out = NULL;
    char *in = check_write_file(dir, "in", "from a file\n");
    check_run_opts_t opts = {.stdin_path = in};
    CHECK_INT(sh("cat", &opts, &out, NULL), 0);
    CHECK_STR(out, "from a file\n");
    free(out);
    CHECK_INT(sh("cat", NULL, &out, NULL), 0); /* /dev/null */
    CHECK_STR(out, "");
    free(out), free(in);
    check_rmtree(dir);
}

static void test_fsize_limit(void) {
    char *dir = check_tmpdir("check-fsize"), script[4200];
    snprintf(script, sizeof script, "trap '' XFSZ; head -c 8192 /dev/zero > %s/big", dir);
    check_run_opts_t opts = {.fsize_limit = 4096};
    CHECK(sh(script, &opts, NULL, NULL) != 0); /* the write fails at 4096 bytes */
    CHECK_INT(sh(script, NULL, NULL, NULL), 0);
    check_rmtree(dir);
}

static void test_timeout_kills(void) {
    check_run_opts_t opts = {.timeout_ms = 200};
    double start = check_now_ms();
    CHECK_INT(sh("exec sleep 30", &opts, NULL, NULL), -1);
    CHECK(check_now_ms() - start < 10000);
    CHECK_INT(sh("exit 0", &opts, NULL, NULL), 0);
}

static void test_spawn_poll_wait(void) {
    char *dir = check_tmpdir("check-spawn"), log[4200];
    snprintf(log, sizeof log, "%s/log", dir);
    char *talk[] = {"/bin/sh", "-c", "echo out; echo err >&2; exit 4", NULL};
    pid_t pid = check_spawn(talk, NULL, log, NULL); /* stderr to the log too */
    CHECK(pid > 0);
    CHECK_INT(check_wait(pid, 0), 4);
    CHECK_INT(check_poll(pid), -1); /* reaped: no longer a child */
    char *text = check_read_file(log, NULL);
    CHECK_STR(text, "out\nerr\n");
    free(text);
    char *sleeper[] = {"/bin/sh", "-c", "exec sleep 30", NULL};
    pid = check_spawn(sleeper, NULL, log, NULL);
    CHECK_INT(check_poll(pid), CHECK_RUNNING);
    CHECK_INT(check_wait(pid, 100), -1); /* killed at the time limit */
    check_rmtree(dir);
}

/* own_group: a signal to the group reaches what the child forked. */
static void test_own_group(void) {
    char *dir = check_tmpdir("check-group"), log[4200];
    snprintf(log, sizeof log, "%s/log", dir);
    char *forker[] = {"/bin/sh", "-c", "sleep 30 & echo $!; wait", NULL};
    check_run_opts_t opts = {.own_group = true};
    pid_t pid = check_spawn(forker, &opts, log, NULL);
    CHECK(pid > 0);
    CHECK_INT(getpgid(pid), pid);
    long grandchild = 0;
    for (double end = check_now_ms() + 5000; !grandchild && check_now_ms() < end;
         check_sleep_ms(10)) {
        char *text = check_read_file(log, NULL);
        grandchild = text ? strtol(text, NULL, 10) : 0;
        free(text);
    }
    CHECK(grandchild > 0);
    CHECK_INT(kill(-pid, SIGKILL), 0);
    CHECK_INT(check_wait(pid, 5000), 128 + SIGKILL);
    bool gone = false; /* the grandchild is not ours to reap: wait for it to go */
    for (double end = check_now_ms() + 5000; !gone && check_now_ms() < end; check_sleep_ms(10))
        gone = grandchild > 0 && kill((pid_t)grandchild, 0) != 0;
    CHECK(gone);
    check_rmtree(dir);
}

int main(void) {
    RUN(test_status_and_output);
    RUN(test_stdin);
    RUN(test_fsize_limit);
    RUN(test_timeout_kills);
    RUN(test_spawn_poll_wait);
    RUN(test_own_group);
    return check_summary();
}
