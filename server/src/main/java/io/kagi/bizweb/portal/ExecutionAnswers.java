package io.kagi.bizweb.portal;

import java.util.function.Function;

import io.kagi.confirmation.Execution;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * How a work screen answers each outcome of its execute step: the feature gives the page for a
 * change made and for a wrong code; a refused token goes to BERR001 for {@code function}; a change
 * made meanwhile ({@code changedMeanwhileKey}) and a form already sent go back to {@code list} with
 * their message.
 */
public record ExecutionAnswers(String function, String list, String changedMeanwhileKey) {

    public <T extends Record, R> String answer(Execution<T, R> execution, RedirectAttributes redirect,
                                               Function<Execution.Done<T, R>, String> done,
                                               Function<Execution.WrongCode<T, R>, String> wrongCode) {
        if (execution instanceof Execution.Done<T, R> made) {
            return done.apply(made);
        }
        if (execution instanceof Execution.WrongCode<T, R> wrong) {
            return wrongCode.apply(wrong);
        }
        if (execution instanceof Execution.Refused<T, R>) {
            return "redirect:/bizweb/refused?function=" + function;
        }
        if (execution instanceof Execution.ChangedMeanwhile<T, R>) {
            redirect.addFlashAttribute("flashError", changedMeanwhileKey);
            return "redirect:" + list;
        }
        if (execution instanceof Execution.AlreadyDone<T, R>) {
            redirect.addFlashAttribute("flashError", "error.doubleSubmit");
            return "redirect:" + list;
        }
        throw new IllegalStateException("Unknown execution " + execution.getClass().getName());
    }
}
