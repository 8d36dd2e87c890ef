package io.kagi.bizweb.users;

import io.kagi.bizweb.portal.Fields;

import java.util.Set;

import org.springframework.validation.Errors;

/** The forms of 利用者管理 and of BPWD001 (the forced change of an initial password). */
public final class UserForms {

    private UserForms() {
    }

    /** What a 利用者管理 confirm screen asks to do. */
    enum UserOperation { ADD, ROLE, LOCK_LOGIN, UNLOCK_LOGIN, REVOKE_TOKEN, UNLOCK_TOKEN, ALLOW_REISSUE }

    /** The roles a master or administrator can give: there is one master per company, made at first use. */
    static final Set<String> GRANTABLE_ROLES = Set.of("ADMIN", "GENERAL");

    /** BUSR002: a new user of the company. */
    public record NewUser(String loginId, String displayName, String mailAddress, String role, Boolean approvalRight) {

        public static NewUser empty() {
            return new NewUser("", "", "", "GENERAL", false);
        }

        public boolean effectiveApprovalRight() {
            return "ADMIN".equals(role) && Boolean.TRUE.equals(approvalRight);
        }

        public void validate(Errors errors) {
            Fields.loginId(errors, "loginId", loginId);
            Fields.maxLength(errors, "displayName", displayName, 30);
            Fields.mailAddress(errors, "mailAddress", mailAddress);
            if (role == null || !GRANTABLE_ROLES.contains(role)) {
                errors.rejectValue("role", "error.choose");
            }
        }
    }

    /** BUSR003: one operation on a user (or the new user of ADD), the fresh OTP and the transaction token. */
    record UserOperationForm(String operation, Long targetId, String loginId, String displayName, String mailAddress,
                             String role, Boolean approvalRight, String otp, String transactionToken) {

        public UserOperation op() {
            try {
                return operation == null ? null : UserOperation.valueOf(operation);
            } catch (IllegalArgumentException unknown) {
                return null;
            }
        }

        NewUser newUser() {
            return new NewUser(loginId, displayName, mailAddress, role, approvalRight);
        }

        static UserOperationForm of(UserOperation operation, Long targetId, NewUser user) {
            return new UserOperationForm(operation.name(), targetId, user == null ? null : user.loginId(),
                    user == null ? null : user.displayName(), user == null ? null : user.mailAddress(),
                    user == null ? null : user.role(), user != null && Boolean.TRUE.equals(user.approvalRight()), "", "");
        }

        @Override
        public String toString() {
            return "UserOperationForm[operation=" + operation + ", targetId=" + targetId + ", (code hidden)]";
        }
    }

    /** BPWD001: the initial password and the new one, twice. */
    public record PasswordChangeForm(String currentPassword, String newPassword, String newPasswordConfirmation,
                              String transactionToken) {

        public static PasswordChangeForm empty() {
            return new PasswordChangeForm("", "", "", "");
        }

        public void validate(Errors errors, String loginId) {
            Fields.required(errors, "currentPassword", currentPassword);
            Fields.loginPassword(errors, "newPassword", newPassword, loginId);
            if (!errors.hasFieldErrors("newPassword") && newPassword.equals(currentPassword)) {
                errors.rejectValue("newPassword", "error.passwordUnchanged");
            }
            Fields.confirmation(errors, "newPasswordConfirmation", newPasswordConfirmation, "newPassword", newPassword);
        }

        @Override
        public String toString() {
            return "PasswordChangeForm[(passwords hidden)]";
        }
    }
}
