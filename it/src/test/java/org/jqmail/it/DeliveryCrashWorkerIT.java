package org.jqmail.it;

import org.junit.jupiter.api.Tag;

/**
 * {@link DeliveryCrashIT} with qmail-lspawn's warm per-uid qmail-local workers: a killed
 * qmail-lspawn leaves its workers with a cut-off request stream, which must never become a
 * delivery of part of a message.
 */
@Tag("root")
class DeliveryCrashWorkerIT extends DeliveryCrashIT {
    @Override
    void configure(MailSystem m) {
        m.env("JQMAIL_LSPAWN_WORKERS", "1");
    }
}
