package org.jqmail.control;

import java.util.Arrays;

/**
 * qmail's {@code prioq.c}: a binary heap of (time, id) ordered by time. Kept as qmail writes it
 * so that messages with equal times come out in the same order as with the C original
 * (maildir2mbox and qmail-pop3d number a Maildir's messages in this order).
 */
public final class Prioq {
    private long[] dt = new long[16];
    private int[] id = new int[16];
    private int len;

    public void insert(long t, int x) {
        if (len == dt.length) {
            dt = Arrays.copyOf(dt, len * 2);
            id = Arrays.copyOf(id, len * 2);
        }
        int j = len++;
        while (j > 0) {
            int i = (j - 1) / 2;
            if (dt[i] <= t) {
                break;
            }
            dt[j] = dt[i];
            id[j] = id[i];
            j = i;
        }
        dt[j] = t;
        id[j] = x;
    }

    public boolean isEmpty() {
        return len == 0;
    }

    public long minTime() {
        return dt[0];
    }

    public int minId() {
        return id[0];
    }

    public void delmin() {
        if (len == 0) {
            return;
        }
        int n = len - 1;
        int i = 0;
        for (;;) {
            int j = i + i + 2;
            if (j > n) {
                break;
            }
            if (dt[j - 1] <= dt[j]) {
                --j;
            }
            if (dt[n] <= dt[j]) {
                break;
            }
            dt[i] = dt[j];
            id[i] = id[j];
            i = j;
        }
        dt[i] = dt[n];
        id[i] = id[n];
        len = n;
    }
}
