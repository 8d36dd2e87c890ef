package io.kagi.session;

import java.util.List;
import java.util.Map;

/**
 * A short name for a {@code User-Agent} ("Edge / Windows", "Safari / iOS"), enough for a person
 * to recognise their own devices. The first marker found names the browser (Edge and Opera say
 * "Chrome" too, Chrome says "Safari"), likewise the system.
 */
final class Browsers {

    private static final List<Map.Entry<String, String>> BROWSERS = List.of(
            Map.entry("Edg/", "Edge"), Map.entry("OPR/", "Opera"), Map.entry("Firefox/", "Firefox"),
            Map.entry("FxiOS/", "Firefox"), Map.entry("Chrome/", "Chrome"), Map.entry("CriOS/", "Chrome"),
            Map.entry("Safari/", "Safari"));
    private static final List<Map.Entry<String, String>> SYSTEMS = List.of(
            Map.entry("iPhone", "iOS"), Map.entry("iPad", "iOS"), Map.entry("Android", "Android"),
            Map.entry("Windows", "Windows"), Map.entry("Macintosh", "macOS"), Map.entry("CrOS", "ChromeOS"),
            Map.entry("Linux", "Linux"));

    private Browsers() {
    }

    /** Browser and system, or null when neither is recognised (or no agent was sent). */
    static String describe(String agent) {
        if (agent == null) {
            return null;
        }
        String browser = first(BROWSERS, agent);
        String system = first(SYSTEMS, agent);
        if (browser == null || system == null) {
            return browser == null ? system : browser;
        }
        return browser + " / " + system;
    }

    private static String first(List<Map.Entry<String, String>> markers, String agent) {
        for (Map.Entry<String, String> marker : markers) {
            if (agent.contains(marker.getKey())) {
                return marker.getValue();
            }
        }
        return null;
    }
}
