package io.kagi.platform;

import java.security.SecureRandom;

/**
 * The temporary passwords Kagi hands out (a new user's 初期パスワード, a company's 仮ログインパスワード, an
 * operator's first or reset password): 12 characters from {@code SecureRandom}, letters and digits
 * with a digit at every fourth place (so every one meets the login-password rules of a letter and a
 * digit), without look-alikes (0/O, 1/l/I): about 66 bits. They are shown once and stored only as a
 * hash; each must be changed at first use. Thread-safe.
 */
public final class TemporaryPasswords {

    private static final String LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz";
    private static final String DIGITS = "23456789";
    private static final int LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TemporaryPasswords() {
    }

    public static String generate() {
        char[] password = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            String alphabet = i % 4 == 3 ? DIGITS : LETTERS;
            password[i] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
        }
        return new String(password);
    }
}
