//! The emails in English.

use super::{
    ActivationConfirmationWording, CommonWording, EmailVerificationWording, LicenseReminderWording,
    RegistrationNoticeWording, VerificationWording, Wording,
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
    license_reminder: LicenseReminderWording {
        subject_expiring: |days| format!("Your licenses end within {days} days"),
        subject_expired: "Your licenses have ended",
        intro_expiring: |days| {
            format!("The term of the following products of your account ends within {days} days:")
        },
        intro_expired: "The term of the following products of your account has ended:",
        ends: |date| format!("Last day: {date}"),
        sold_by: |partner, order| format!("Sold by {partner}, order {order}"),
        renew: "To keep them protected, ask the partner who sold them for a renewal.",
        footer: "You receive this email because these products are registered to your account \
                 on the license activation portal.",
    },
};
