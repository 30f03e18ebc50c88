//! The emails in English.

use super::{
    ActivationConfirmationWording, CommonWording, EmailChangeNoticeWording, EmailChangeWording,
    EmailVerificationWording, MfaChangedWording, PasswordResetWording, RegistrationNoticeWording,
    VerificationWording, Wording,
};

/// The English catalog.
pub const EN: Wording = Wording {
    common: CommonWording {
        greeting: "Hello,",
        greeting_named: |name| format!("Hello {name},"),
        signature: "Open CLP, the license activation portal",
        footer: "You receive this email because of a license registration made with this \
                 address. If it was not you, ignore this email; nothing is activated without \
                 the link.",
        seats: |seats| format!("{seats} seats"),
        term: "Term",
        term_to_text: " to ",
        term_to_html: " \u{2013} ",
        activation_codes: "Activation codes",
        service: "Service",
        date: |date| date.format("%Y-%m-%d").to_string(),
        time: |at| at.format("%Y-%m-%d %H:%M UTC").to_string(),
    },
    verification: VerificationWording {
        subject: |order| format!("Confirm the activation of order {order}"),
        intro: |order| {
            format!("To activate the products of order {order} in your account, follow this link:")
        },
        button: "Activate my products",
        expires: |at| {
            format!(
                "The link expires at {at}. After that, nothing is activated and you can start \
                 the activation again."
            )
        },
        new_account: "Following the link also verifies the email address of your new account.",
        summary: |order| format!("Order {order}"),
        region: |region| format!("Trend Micro XDR region: {region}"),
        not_you: "If you did not ask for this activation, ignore this email.",
    },
    email_verification: EmailVerificationWording {
        subject: "Verify your email address",
        intro: "Thank you for creating an account on the license activation portal. To verify \
                that this email address is yours, follow this link:",
        button: "Verify my email address",
        expires: |at| {
            format!(
                "The link expires at {at}. After that, activating an order with this account \
                 also verifies the address."
            )
        },
        not_you: "If you did not create this account, ignore this email; the address stays \
                  unverified.",
        footer: "You receive this email because an account was created with this address on \
                 the license activation portal.",
    },
    registration_notice: RegistrationNoticeWording {
        subject: |order| format!("Your product of order {order} is registered"),
        intro: |order| {
            format!("The following product of order {order} is now registered to your account:")
        },
        renewal: "This registration renews your existing activation code; its term is extended.",
        outro: "Sign in to the portal to see every product of your account.",
    },
    activation_confirmation: ActivationConfirmationWording {
        subject: |order| format!("Order {order} is activated"),
        intro: |order| format!("The products of order {order} are activated in your account:"),
        xdr: |region| format!("Trend Micro XDR is enabled in your account, region {region}."),
        console: "Open the Trend Micro XDR console",
        outro: "Sign in to the portal to see every product of your account.",
    },
    password_reset: PasswordResetWording {
        subject: "Reset your password",
        intro: "Someone asked to reset the password of your account on the license activation \
                portal. To choose a new password, follow this link:",
        button: "Choose a new password",
        expires: |at| {
            format!(
                "The link works once and expires at {at}. After that, ask for a new link on the \
                 sign-in page."
            )
        },
        sessions: "Setting a new password signs your account out everywhere it is signed in.",
        not_you: "If you did not ask for this, ignore this email: your password stays as it is.",
        footer: "You receive this email because a password reset was asked for this address on \
                 the license activation portal.",
    },
    email_change: EmailChangeWording {
        subject: "Confirm your new email address",
        intro: |email| {
            format!(
                "You asked to use {email} as the email address of your account on the license \
                 activation portal. To confirm the change, follow this link:"
            )
        },
        button: "Confirm my new email address",
        expires: |at| {
            format!(
                "The link works once and expires at {at}. Until it is followed, your account \
                 keeps its current address."
            )
        },
        not_you: "If you did not ask for this, ignore this email; nothing changes.",
        footer: "You receive this email because this address was entered as the new address \
                 of an account on the license activation portal.",
    },
    email_change_notice: EmailChangeNoticeWording {
        subject: "A change of your email address was asked for",
        intro: |email| {
            format!(
                "Someone signed in to your account on the license activation portal asked to \
                 change its email address to {email}."
            )
        },
        when: "The change takes effect only when the link sent to the new address is followed; \
               until then, your account keeps this address.",
        not_you: "If you did not ask for this, sign in and change your password now.",
        footer: "You receive this email because it is the address of an account on the license \
                 activation portal.",
    },
    mfa_changed: MfaChangedWording {
        subject_on: "Two-factor sign-in is on",
        subject_off: "Two-factor sign-in is off",
        on: |at| {
            format!(
                "Two-factor sign-in was turned on for your account at {at}. From now on, signing \
                 in asks for the code of your authenticator app, or one of your recovery codes."
            )
        },
        off: |at| {
            format!(
                "Two-factor sign-in was turned off for your account at {at}. Signing in now \
                 asks for your password only."
            )
        },
        not_you: "If you did not do this, change your password at once and contact support.",
        footer: "You receive this email because the sign-in settings of your account on the \
                 license activation portal changed.",
    },
};
