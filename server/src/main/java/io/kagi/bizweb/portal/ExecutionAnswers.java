package io.kagi.bizweb.portal;

import java.util.function.Function;

import io.kagi.bizweb.portal.ConfirmedWork.Execution;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * How a work screen answers each outcome of its execute step: the feature gives the page for a
 * change made and for a wrong code; a refused token goes to BERR001 for {@code function}; a change
 * made meanwhile ({@code changedMeanwhileKey}) and a form already sent go back to {@code list} with
 * their message.
 */
public record ExecutionAnswers(String function, String list, String changedMeanwhileKey) {

    public <T extends Record> String answer(Execution<T> execution, RedirectAttributes redirect,
                                            Function<Execution.Done<T>, String> done,
                                            Function<Execution.WrongCode<T>, String> wrongCode) {
        if (execution instanceof Execution.Done<T> made) {
            return done.apply(made);
        }
        if (execution instanceof Execution.WrongCode<T> wrong) {
            return wrongCode.apply(wrong);
        }
        if (execution instanceof Execution.Refused<T>) {
            return "redirect:/bizweb/refused?function=" + function;
        }
        if (execution instanceof Execution.ChangedMeanwhile<T>) {
            redirect.addFlashAttribute("flashError", changedMeanwhileKey);
            return "redirect:" + list;
        }
        if (execution instanceof Execution.AlreadyDone<T>) {
            redirect.addFlashAttribute("flashError", "error.doubleSubmit");
            return "redirect:" + list;
        }
        throw new IllegalStateException("Unknown execution " + execution.getClass().getName());
    }
}
