package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jqmail.io.Bytes;

/**
 * qmail-send's side of the qmail-clean protocol (spec §4.3): one request
 * ({@code todo/N\0} or {@code foop/N\0}) written and flushed, then one reply byte read
 * synchronously, as qmail-send does. qmail-send never selects on qmail-clean's pipe, so this
 * reads it directly on the main thread.
 */
final class Clean {
    private final OutputStream toqc;
    private final InputStream fromqc;
    private final Log log;
    private final SendState st;

    Clean(OutputStream toqc, InputStream fromqc, Log log, SendState st) {
        this.toqc = toqc;
        this.fromqc = fromqc;
        this.log = log;
        this.st = st;
    }

    /**
     * Sends {@code fn} and logs qmail's warning for a reply other than {@code +}. Returns true
     * only for {@code +}; if qmail-clean is gone it logs the alert and sets exitasap.
     */
    boolean request(String fn) {
        int ch;
        try {
            byte[] b = Bytes.ascii(fn + "\0");
            toqc.write(b);
            toqc.flush();
            ch = fromqc.read();
        } catch (IOException e) {
            ch = -1;
        }
        if (ch < 0) {
            log.line("alert: oh no! lost qmail-clean connection! dying...");
            st.exitasap = true;
            return false;
        }
        if (ch != '+') {
            log.line("warning: qmail-clean unable to clean up ", fn);
            return false;
        }
        return true;
    }
}
