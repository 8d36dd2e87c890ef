package io.kagi.console.web;

import java.util.function.Function;

import io.kagi.confirmation.Execution;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * How a console page answers each outcome of an execute step: the page gives the answers to a
 * change made and to a wrong code; a refused token, a change overtaken meanwhile and a form already
 * sent go back to {@code list} with their message.
 */
final class ConsoleAnswers {

    private ConsoleAnswers() {
    }

    static <O extends Record, R> String answer(Execution<O, R> execution, String list, RedirectAttributes redirect,
                                               Function<Execution.Done<O, R>, String> done,
                                               Function<Execution.WrongCode<O, R>, String> wrongCode) {
        if (execution instanceof Execution.Done<O, R> made) {
            return done.apply(made);
        }
        if (execution instanceof Execution.WrongCode<O, R> wrong) {
            return wrongCode.apply(wrong);
        }
        if (execution instanceof Execution.Refused<O, R> refused) {
            redirect.addFlashAttribute("flashError", message(refused));
            return "redirect:" + list;
        }
        if (execution instanceof Execution.ChangedMeanwhile<O, R>) {
            redirect.addFlashAttribute("flashError", "console.error.changedMeanwhile");
            return "redirect:" + list;
        }
        if (execution instanceof Execution.AlreadyDone<O, R>) {
            return "redirect:" + list + "?" + ConfirmPage.ALREADY_DONE;
        }
        throw new IllegalStateException("An execution of an unknown kind: " + execution.getClass().getName());
    }

    /** The console's message for a wrong, spent or missing code. */
    static String message(Execution.WrongCode<?, ?> wrong) {
        return "console." + wrong.messageKey();
    }

    /** The console's message for a token that is locked or cannot give codes. */
    static String message(Execution.Refused<?, ?> refused) {
        return refused.locked() ? "console.error.otpLocked" : "console.error.otpRefused";
    }
}
