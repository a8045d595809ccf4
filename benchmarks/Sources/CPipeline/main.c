// The batched native C pipeline: the reference for what libzmq and this machine allow for ScatterGather's shape,
// with none of its guarantees. A ventilator PUSHes frames of 2048 tasks (24 bytes each: id, lo, hi; ScatterGather's
// largest batch, TaskBatch.maxTasks) to W worker processes, each answers a frame with a frame of 2048 results
// (40 bytes each: id, i128 value, count, nanoseconds),
// and a sink PULLs them, drops duplicates with a bitset and adds the values in 128 bits. No acknowledgements, no
// credit, no redelivery, no journal.
//
// usage: c-pipeline TASKS WORKERS  ->  prints "tasks_per_second R total T" (one-element tasks [1, TASKS], sum)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

enum { BATCH = 2048, TASK_BYTES = 24, RESULT_BYTES = 40 };

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void fail(const char *what) {
    fprintf(stderr, "c-pipeline: %s: %s\n", what, zmq_strerror(zmq_errno()));
    exit(1);
}

static void worker(const char *tasks, const char *results) {
    void *context = zmq_ctx_new();
    void *in = zmq_socket(context, ZMQ_PULL), *out = zmq_socket(context, ZMQ_PUSH);
    if (zmq_connect(in, tasks) != 0 || zmq_connect(out, results) != 0) fail("worker connect");
    static uint8_t frame[BATCH * TASK_BYTES], answer[BATCH * RESULT_BYTES];
    for (;;) {
        int size = zmq_recv(in, frame, sizeof frame, 0);
        if (size <= 0) break;  // an empty frame: the job is over
        int count = size / TASK_BYTES;
        for (int i = 0; i < count; i++) {
            uint64_t id, lo, hi;
            memcpy(&id, frame + i * TASK_BYTES, 8);
            memcpy(&lo, frame + i * TASK_BYTES + 8, 8);
            memcpy(&hi, frame + i * TASK_BYTES + 16, 8);
            unsigned __int128 sum = 0;
            for (uint64_t x = lo; x <= hi; x++) sum += x;
            uint64_t elements = hi - lo + 1, nanoseconds = 0;
            uint8_t *r = answer + i * RESULT_BYTES;
            memcpy(r, &id, 8);
            memcpy(r + 8, &sum, 16);
            memcpy(r + 24, &elements, 8);
            memcpy(r + 32, &nanoseconds, 8);
        }
        if (zmq_send(out, answer, (size_t)count * RESULT_BYTES, 0) < 0) fail("worker send");
    }
    zmq_close(in);
    zmq_close(out);
    zmq_ctx_term(context);
    exit(0);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: c-pipeline TASKS WORKERS\n");
        return 64;
    }
    uint64_t tasks = strtoull(argv[1], NULL, 10);
    int workers = atoi(argv[2]);
    if (tasks == 0 || workers < 1) {
        fprintf(stderr, "c-pipeline: TASKS and WORKERS must be positive\n");
        return 64;
    }
    void *context = zmq_ctx_new();
    void *sink = zmq_socket(context, ZMQ_PULL), *ventilator = zmq_socket(context, ZMQ_PUSH);
    char results[64], tasks_endpoint[64];
    size_t length = sizeof results;
    if (zmq_bind(sink, "tcp://127.0.0.1:*") != 0) fail("bind results");
    zmq_getsockopt(sink, ZMQ_LAST_ENDPOINT, results, &length);
    length = sizeof tasks_endpoint;
    if (zmq_bind(ventilator, "tcp://127.0.0.1:*") != 0) fail("bind tasks");
    zmq_getsockopt(ventilator, ZMQ_LAST_ENDPOINT, tasks_endpoint, &length);
    for (int w = 0; w < workers; w++) {
        // The child uses a context of its own and never touches the parent's (its threads are not in the child).
        if (fork() == 0) worker(tasks_endpoint, results);
    }
    usleep(500000);  // every worker connected, so PUSH deals to all of them from the first frame
    uint64_t words = (tasks + 63) / 64, done = 0;
    uint64_t *seen = calloc(words, 8);
    unsigned __int128 total = 0;
    static uint8_t frame[BATCH * TASK_BYTES], answer[BATCH * RESULT_BYTES];
    double start = now_seconds();
    uint64_t next = 0;
    zmq_pollitem_t items[2] = {{sink, 0, ZMQ_POLLIN, 0}, {ventilator, 0, ZMQ_POLLOUT, 0}};
    while (done < tasks) {
        items[1].events = next < tasks ? ZMQ_POLLOUT : 0;
        if (zmq_poll(items, 2, -1) < 0) fail("poll");
        if (items[1].revents & ZMQ_POLLOUT) {
            int count = 0;
            for (; count < BATCH && next < tasks; count++, next++) {
                uint64_t lo = next + 1;
                memcpy(frame + count * TASK_BYTES, &next, 8);
                memcpy(frame + count * TASK_BYTES + 8, &lo, 8);
                memcpy(frame + count * TASK_BYTES + 16, &lo, 8);
            }
            if (zmq_send(ventilator, frame, (size_t)count * TASK_BYTES, ZMQ_DONTWAIT) < 0) next -= (uint64_t)count;
        }
        while (items[0].revents & ZMQ_POLLIN) {
            int size = zmq_recv(sink, answer, sizeof answer, ZMQ_DONTWAIT);
            if (size < 0) break;
            for (int i = 0; i < size / RESULT_BYTES; i++) {
                uint64_t id;
                unsigned __int128 value;
                memcpy(&id, answer + i * RESULT_BYTES, 8);
                memcpy(&value, answer + i * RESULT_BYTES + 8, 16);
                if (id >= tasks || (seen[id / 64] >> (id % 64) & 1)) continue;
                seen[id / 64] |= 1ULL << (id % 64);
                total += value;
                done++;
            }
        }
    }
    double seconds = now_seconds() - start;
    for (int w = 0; w < workers; w++) zmq_send(ventilator, "", 0, 0);
    for (int w = 0; w < workers; w++) wait(NULL);
    unsigned __int128 expected = (unsigned __int128)tasks * (tasks + 1) / 2;
    printf("tasks_per_second %.0f total %llu %s\n", (double)tasks / seconds, (unsigned long long)total,
           total == expected ? "verified" : "WRONG");
    zmq_close(sink);
    zmq_close(ventilator);
    zmq_ctx_term(context);
    return total == expected ? 0 : 1;
}
