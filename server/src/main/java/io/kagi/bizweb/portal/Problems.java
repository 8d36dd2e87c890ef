package io.kagi.bizweb.portal;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.ui.Model;

/**
 * The portal's answers when a work screen is asked for something it must not give: BERR002 (403,
 * the user's role or relation to the thing does not allow it, with the reason) and BERR003 (404,
 * no such thing — also for another company's ids, so that their existence is never revealed).
 */
public final class Problems {

    private Problems() {
    }

    public static String forbidden(HttpServletResponse response, Model model, String reason) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("screenId", "BERR002");
        model.addAttribute("problemTitle", "problem.forbidden.title");
        model.addAttribute("problemReason", reason);
        return "bizweb/problem";
    }

    public static String notFound(HttpServletResponse response, Model model) {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        model.addAttribute("screenId", "BERR003");
        model.addAttribute("problemTitle", "problem.notFound.title");
        model.addAttribute("problemReason", "problem.notFound.reason");
        return "bizweb/problem";
    }
}
