package org.jqmail.inject;

/**
 * The header fields qmail-inject knows by name, and what makes a header line a field at all
 * ({@code hfield.c}).
 *
 * <p>A name matches ignoring the case of letters and may be followed by spaces or TABs before
 * its colon. A line is a valid field if it has a colon and the name before it (trailing spaces
 * and TABs removed) is non-empty and made of bytes 33..126 only.
 */
enum HeaderField {
    SENDER("sender"),
    FROM("from"),
    REPLY_TO("reply-to"),
    TO("to"),
    CC("cc"),
    BCC("bcc"),
    DATE("date"),
    MESSAGE_ID("message-id"),
    SUBJECT("subject"),
    R_SENDER("resent-sender"),
    R_FROM("resent-from"),
    R_REPLY_TO("resent-reply-to"),
    R_TO("resent-to"),
    R_CC("resent-cc"),
    R_BCC("resent-bcc"),
    R_DATE("resent-date"),
    R_MESSAGE_ID("resent-message-id"),
    RETURN_RECEIPT_TO("return-receipt-to"),
    ERRORS_TO("errors-to"),
    APPARENTLY_TO("apparently-to"),
    RECEIVED("received"),
    RETURN_PATH("return-path"),
    DELIVERED_TO("delivered-to"),
    CONTENT_LENGTH("content-length"),
    CONTENT_TYPE("content-type"),
    CONTENT_TRANSFER_ENCODING("content-transfer-encoding"),
    NOTICE_REQUESTED_UPON_DELIVERY_TO("notice-requested-upon-delivery-to"),
    MAIL_FOLLOWUP_TO("mail-followup-to");

    private static final HeaderField[] ALL = values();

    private final byte[] name;

    HeaderField(String name) {
        this.name = org.jqmail.io.Bytes.ascii(name);
    }

    /** {@code hfield_known}: the field a header line starts with, or null. */
    static HeaderField known(byte[] s, int len) {
        for (HeaderField h : ALL) {
            if (h.matches(s, len)) {
                return h;
            }
        }
        return null;
    }

    private boolean matches(byte[] s, int len) {
        int i = 0;
        for (; i < name.length; i++) {
            if (i >= len) {
                return false;
            }
            byte ch = name[i];
            if (ch != s[i]) {
                // Only lower-case letters of the table match their upper-case form.
                if (ch == '-' || ch - 32 != s[i]) {
                    return false;
                }
            }
        }
        for (;; i++) {
            if (i >= len) {
                return false;
            }
            byte ch = s[i];
            if (ch == ':') {
                return true;
            }
            if (ch != ' ' && ch != '\t') {
                return false;
            }
        }
    }

    /** {@code hfield_valid}. */
    static boolean valid(byte[] s, int len) {
        int j = 0;
        while (j < len && s[j] != ':') {
            j++;
        }
        if (j >= len) {
            return false;
        }
        while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t')) {
            j--;
        }
        if (j == 0) {
            return false;
        }
        for (int i = 0; i < j; i++) {
            byte ch = s[i];
            if (ch <= 32 || ch >= 127) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code hfield_skipname}: where a field's value starts: after the name, its colon and any
     * spaces, TABs, CRs and LFs (the whole length for a line without a colon).
     */
    static int skipName(byte[] s, int len) {
        int i = 0;
        while (i < len && s[i] != ':') {
            i++;
        }
        if (i < len) {
            i++;
        }
        while (i < len && (s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == ' ')) {
            i++;
        }
        return i;
    }
}
