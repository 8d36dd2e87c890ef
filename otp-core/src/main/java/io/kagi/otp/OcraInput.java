package io.kagi.otp;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * The data an OCRA response covers (RFC 6287 §5.1 {@code DataInput}): a question, and the
 * counter, password hash, session information and time that the suite asks for.
 *
 * <p>Absent inputs are {@code null}. {@link Ocra} checks the input against its suite and refuses
 * one that lacks an input the suite names or has one it does not. Start from
 * {@link #question(String)} and add what the suite needs:
 * {@code OcraInput.question("12345678").withCounter(7).withPasswordHash(hash)}.
 *
 * <p>Byte arrays are copied in and out. {@link #toString()} shows neither the question (it may
 * carry transaction data such as an account number) nor the password hash nor the session
 * information.
 *
 * @param question           the challenge, in the suite's question format
 * @param counter            the counter C, not negative, or {@code null}
 * @param passwordHash       the hash of the password ({@link OcraSuite#passwordHash()}), or {@code null}
 * @param sessionInformation the session information, at most the suite's length, or {@code null}
 * @param time               the time, counted in the suite's time steps since the epoch, or {@code null}
 */
public record OcraInput(String question, Long counter, byte[] passwordHash, byte[] sessionInformation,
                        Instant time) {

    public OcraInput {
        if (question == null) {
            throw new IllegalArgumentException("question is required");
        }
        if (counter != null && counter < 0) {
            throw new IllegalArgumentException("counter must not be negative");
        }
        passwordHash = passwordHash == null ? null : passwordHash.clone();
        sessionInformation = sessionInformation == null ? null : sessionInformation.clone();
    }

    /** An input with only a question. */
    public static OcraInput question(String question) {
        return new OcraInput(question, null, null, null, null);
    }

    public OcraInput withCounter(long counter) {
        return new OcraInput(question, counter, passwordHash, sessionInformation, time);
    }

    public OcraInput withPasswordHash(byte[] passwordHash) {
        return new OcraInput(question, counter, passwordHash, sessionInformation, time);
    }

    public OcraInput withSessionInformation(byte[] sessionInformation) {
        return new OcraInput(question, counter, passwordHash, sessionInformation, time);
    }

    public OcraInput withTime(Instant time) {
        return new OcraInput(question, counter, passwordHash, sessionInformation, time);
    }

    /** A copy of the password hash, or {@code null}. */
    @Override
    public byte[] passwordHash() {
        return passwordHash == null ? null : passwordHash.clone();
    }

    /** A copy of the session information, or {@code null}. */
    @Override
    public byte[] sessionInformation() {
        return sessionInformation == null ? null : sessionInformation.clone();
    }

    byte[] passwordHashUncopied() {
        return passwordHash;
    }

    byte[] sessionInformationUncopied() {
        return sessionInformation;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OcraInput that
                && question.equals(that.question) && Objects.equals(counter, that.counter)
                && Arrays.equals(passwordHash, that.passwordHash)
                && Arrays.equals(sessionInformation, that.sessionInformation)
                && Objects.equals(time, that.time);
    }

    @Override
    public int hashCode() {
        return Objects.hash(question, counter, Arrays.hashCode(passwordHash), Arrays.hashCode(sessionInformation),
                time);
    }

    /** Which inputs are present, without their values (the time excepted). */
    @Override
    public String toString() {
        return "OcraInput[question=(" + question.length() + " characters)"
                + (counter == null ? "" : ", counter=" + counter)
                + (passwordHash == null ? "" : ", passwordHash=(hidden)")
                + (sessionInformation == null ? "" : ", sessionInformation=(" + sessionInformation.length + " bytes)")
                + (time == null ? "" : ", time=" + time) + "]";
    }
}
