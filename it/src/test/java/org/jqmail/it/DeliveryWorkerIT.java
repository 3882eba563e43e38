package org.jqmail.it;

import org.junit.jupiter.api.Tag;

/** {@link DeliveryIT} with qmail-lspawn's warm per-uid qmail-local workers. */
@Tag("root")
class DeliveryWorkerIT extends DeliveryIT {
    @Override
    void configure(MailSystem m) {
        m.env("JQMAIL_LSPAWN_WORKERS", "1");
    }
}
