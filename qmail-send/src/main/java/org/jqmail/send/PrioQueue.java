package org.jqmail.send;

import java.util.Arrays;

/**
 * A priority queue of (message id, time) pairs ordered by time, qmail's {@code prioq.c}: a
 * binary heap whose minimum is the earliest due entry. Not thread-safe; used only by
 * qmail-send's main thread.
 */
final class PrioQueue {
    /** One entry: message {@code id} due at {@code dt} (Unix seconds). */
    record Elt(long id, long dt) {
    }

    private Elt[] heap = new Elt[16];
    private int len;

    int size() {
        return len;
    }

    boolean isEmpty() {
        return len == 0;
    }

    void insert(Elt e) {
        if (len == heap.length) {
            heap = Arrays.copyOf(heap, Math.multiplyExact(heap.length, 2));
        }
        int j = len++;
        while (j > 0) {
            int i = (j - 1) / 2;
            if (heap[i].dt() <= e.dt()) {
                break;
            }
            heap[j] = heap[i];
            j = i;
        }
        heap[j] = e;
    }

    void insert(long id, long dt) {
        insert(new Elt(id, dt));
    }

    /** The earliest entry, or null if empty. */
    Elt min() {
        return len == 0 ? null : heap[0];
    }

    /** Removes the earliest entry. */
    void delmin() {
        if (len == 0) {
            return;
        }
        Elt last = heap[--len];
        heap[len] = null;
        if (len == 0) {
            return;
        }
        int i = 0;
        for (;;) {
            int c = 2 * i + 1;
            if (c >= len) {
                break;
            }
            if (c + 1 < len && heap[c + 1].dt() < heap[c].dt()) {
                c++;
            }
            if (last.dt() <= heap[c].dt()) {
                break;
            }
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = last;
    }

    /** Makes every entry due at {@code dt} (SIGALRM: "run the queue"). */
    void setAll(long dt) {
        for (int i = 0; i < len; i++) {
            heap[i] = new Elt(heap[i].id(), dt);
        }
    }
}
