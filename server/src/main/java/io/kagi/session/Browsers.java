package io.kagi.session;

/**
 * A short name for a {@code User-Agent} ("Edge / Windows", "Safari / iOS"), enough for a person
 * to recognise their own devices; unknown agents are named "その他" by the page (null here).
 */
final class Browsers {

    private Browsers() {
    }

    /** Browser and system, or null when neither is recognised (or no agent was sent). */
    static String describe(String agent) {
        if (agent == null || agent.isBlank()) {
            return null;
        }
        String browser = browser(agent);
        String system = system(agent);
        if (browser == null && system == null) {
            return null;
        }
        return browser == null ? system : system == null ? browser : browser + " / " + system;
    }

    private static String browser(String agent) {
        if (agent.contains("Edg/")) {
            return "Edge";
        }
        if (agent.contains("OPR/")) {
            return "Opera";
        }
        if (agent.contains("Firefox/") || agent.contains("FxiOS/")) {
            return "Firefox";
        }
        if (agent.contains("Chrome/") || agent.contains("CriOS/")) {
            return "Chrome";
        }
        if (agent.contains("Safari/")) {
            return "Safari";
        }
        return null;
    }

    private static String system(String agent) {
        if (agent.contains("iPhone") || agent.contains("iPad")) {
            return "iOS";
        }
        if (agent.contains("Android")) {
            return "Android";
        }
        if (agent.contains("Windows")) {
            return "Windows";
        }
        if (agent.contains("Mac OS X") || agent.contains("Macintosh")) {
            return "macOS";
        }
        if (agent.contains("CrOS")) {
            return "ChromeOS";
        }
        if (agent.contains("Linux")) {
            return "Linux";
        }
        return null;
    }
}
