package io.kagi.otp;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OCRA suite of RFC 6287 §6: {@code OCRA-1:HOTP-SHA1-6:C-QN08-PSHA1-S064-T1M}, which fixes the
 * HMAC, the response length and the inputs a response covers.
 *
 * <p>The text form, {@link #toString()}, is part of the data every response is computed over
 * (RFC 6287 §5.1), so {@link #parse} accepts only the canonical spelling: upper case, a
 * two-digit question length, a three-digit session length, a time step without leading zeros.
 * The crypto function's truncation must be 4 to 10 digits; truncation 0 (the full HMAC) is not
 * supported.
 *
 * @param algorithm                the HMAC function ({@code HOTP-SHA1-t} and so on)
 * @param digits                   response length t, 4 to 10
 * @param counter                  whether the data input has a counter {@code C}
 * @param questionFormat           how the challenge is written ({@code QA}, {@code QN}, {@code QH})
 * @param questionLength           the longest challenge, 4 to 64 characters ({@code xx} of {@code QFxx})
 * @param passwordHash             the hash of the password ({@code PSHA1}...), if the data input has one
 * @param sessionInformationLength the session information's length in bytes ({@code Snnn}), if any
 * @param timeStep                 the timestamp's step ({@code T1M}...), if the data input has one
 */
public record OcraSuite(HmacAlgorithm algorithm, int digits, boolean counter,
                        QuestionFormat questionFormat, int questionLength,
                        Optional<HmacAlgorithm> passwordHash, OptionalInt sessionInformationLength,
                        Optional<Duration> timeStep) {

    /** The formats of an OCRA challenge (RFC 6287 §6.3 {@code QFxx}). */
    public enum QuestionFormat {
        /** {@code A}: ASCII letters and digits, used as their bytes. */
        ALPHANUMERIC('A'),
        /** {@code N}: decimal digits, used as the number's hexadecimal nibbles. */
        NUMERIC('N'),
        /** {@code H}: hexadecimal digits, used as nibbles. */
        HEXADECIMAL('H');

        private final char letter;

        QuestionFormat(char letter) {
            this.letter = letter;
        }

        /** The letter in the suite: {@code A}, {@code N} or {@code H}. */
        public char letter() {
            return letter;
        }

        static QuestionFormat of(char letter) {
            for (QuestionFormat format : values()) {
                if (format.letter == letter) {
                    return format;
                }
            }
            throw new OtpFormatException("question format '" + letter + "' is none of A, N, H");
        }
    }

    private static final Pattern CRYPTO_FUNCTION = Pattern.compile("HOTP-(SHA1|SHA256|SHA512)-(0|[1-9][0-9]?)");
    private static final Pattern QUESTION = Pattern.compile("Q([ANH])([0-9]{2})");
    private static final Pattern PASSWORD = Pattern.compile("P(SHA1|SHA256|SHA512)");
    private static final Pattern SESSION = Pattern.compile("S([0-9]{3})");
    private static final Pattern TIME = Pattern.compile("T([1-9][0-9]?)([SMH])");

    public OcraSuite {
        if (algorithm == null || questionFormat == null || passwordHash == null
                || sessionInformationLength == null || timeStep == null) {
            throw new IllegalArgumentException("all components are required; use empty optionals for absent inputs");
        }
        if (digits == 0) {
            throw new OtpFormatException("truncation 0 (the full HMAC as the response) is not supported");
        }
        if (digits < 4 || digits > 10) {
            throw new OtpFormatException("response length must be from 4 to 10 digits, not " + digits);
        }
        if (questionLength < 4 || questionLength > 64) {
            throw new OtpFormatException("question length must be from 04 to 64, not " + questionLength);
        }
        if (sessionInformationLength.isPresent()
                && (sessionInformationLength.getAsInt() < 1 || sessionInformationLength.getAsInt() > 512)) {
            throw new OtpFormatException("session information length must be from 001 to 512 bytes, not "
                    + sessionInformationLength.getAsInt());
        }
        timeStep.ifPresent(OcraSuite::timeStepText);
    }

    /**
     * Reads a suite such as {@code OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1}.
     *
     * @throws OtpFormatException naming the part that is malformed and why
     */
    public static OcraSuite parse(String suite) {
        if (suite == null) {
            throw new OtpFormatException("OCRA suite is missing");
        }
        String[] parts = suite.split(":", -1);
        if (parts.length != 3) {
            throw new OtpFormatException("OCRA suite '" + suite
                    + "' must have three parts, Algorithm:CryptoFunction:DataInput, separated by ':'");
        }
        if (!parts[0].equals("OCRA-1")) {
            throw new OtpFormatException("OCRA suite algorithm '" + parts[0] + "' is not OCRA-1", 0);
        }
        Matcher function = CRYPTO_FUNCTION.matcher(parts[1]);
        if (!function.matches()) {
            throw new OtpFormatException("OCRA crypto function '" + parts[1]
                    + "' is not HOTP-SHA1-t, HOTP-SHA256-t or HOTP-SHA512-t with t 0 or 4 to 10",
                    parts[0].length() + 1);
        }
        HmacAlgorithm algorithm = HmacAlgorithm.fromName(function.group(1));
        int digits = Integer.parseInt(function.group(2));

        String[] inputs = parts[2].split("-", -1);
        int position = parts[0].length() + parts[1].length() + 2;
        int next = 0;
        boolean counter = inputs[next].equals("C");
        if (counter) {
            position += 2;
            next++;
        }
        Matcher question = next < inputs.length ? QUESTION.matcher(inputs[next]) : null;
        if (question == null || !question.matches()) {
            throw new OtpFormatException("OCRA data input needs a question QFxx (F one of A, N, H; xx 04 to 64)"
                    + " after the optional C, found '" + (next < inputs.length ? inputs[next] : "") + "'", position);
        }
        QuestionFormat format = QuestionFormat.of(question.group(1).charAt(0));
        int questionLength = Integer.parseInt(question.group(2));
        position += inputs[next++].length() + 1;

        Optional<HmacAlgorithm> password = Optional.empty();
        OptionalInt session = OptionalInt.empty();
        Optional<Duration> time = Optional.empty();
        int order = 0;
        for (; next < inputs.length; next++) {
            String input = inputs[next];
            Matcher matcher;
            if ((matcher = PASSWORD.matcher(input)).matches() && order < 1) {
                password = Optional.of(HmacAlgorithm.fromName(matcher.group(1)));
                order = 1;
            } else if ((matcher = SESSION.matcher(input)).matches() && order < 2) {
                session = OptionalInt.of(Integer.parseInt(matcher.group(1)));
                order = 2;
            } else if ((matcher = TIME.matcher(input)).matches() && order < 3) {
                time = Optional.of(timeStep(Integer.parseInt(matcher.group(1)), matcher.group(2).charAt(0), position));
                order = 3;
            } else {
                throw new OtpFormatException("OCRA data input '" + input + "' is not one of PSHA1, PSHA256, PSHA512,"
                        + " Snnn, T[1-59]S, T[1-59]M, T[1-48]H, in that order, each at most once", position);
            }
            position += input.length() + 1;
        }
        return new OcraSuite(algorithm, digits, counter, format, questionLength, password, session, time);
    }

    /** The canonical suite text, such as {@code OCRA-1:HOTP-SHA512-8:QA10-T1M}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("OCRA-1:HOTP-").append(algorithm.name()).append('-').append(digits)
                .append(':');
        if (counter) {
            text.append("C-");
        }
        text.append('Q').append(questionFormat.letter()).append(questionLength < 10 ? "0" : "").append(questionLength);
        passwordHash.ifPresent(hash -> text.append("-P").append(hash.name()));
        sessionInformationLength.ifPresent(length -> text.append("-S").append(String.format("%03d", length)));
        timeStep.ifPresent(step -> text.append("-T").append(timeStepText(step)));
        return text.toString();
    }

    private static Duration timeStep(int amount, char unit, int position) {
        int maximum = unit == 'H' ? 48 : 59;
        if (amount > maximum) {
            throw new OtpFormatException("OCRA time step T" + amount + unit + " is out of range: S and M take 1 to 59,"
                    + " H 1 to 48", position);
        }
        return switch (unit) {
            case 'S' -> Duration.ofSeconds(amount);
            case 'M' -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static String timeStepText(Duration step) {
        long seconds = step.getSeconds();
        if (step.getNano() == 0 && seconds >= 1 && seconds <= 59) {
            return seconds + "S";
        }
        if (step.getNano() == 0 && seconds % 60 == 0 && seconds / 60 <= 59) {
            return seconds / 60 + "M";
        }
        if (step.getNano() == 0 && seconds % 3600 == 0 && seconds / 3600 <= 48) {
            return seconds / 3600 + "H";
        }
        throw new OtpFormatException("OCRA time step " + step + " is not 1-59 seconds, 1-59 minutes or 1-48 hours");
    }
}
