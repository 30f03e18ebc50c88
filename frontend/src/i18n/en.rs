//! The English catalog.

use super::{
    DeliveryNames, ErrorText, ErrorTexts, HintReasonNames, Messages, RegionNames, StatusNames,
};

/// Every user-facing string in English.
pub const EN: Messages = Messages {
    app_name: "Open CLP",
    doc_title: "Open CLP: activate your products",
    skip_link: "Skip to main content",
    nav_label: "Main",
    nav_activate: "Activate products",
    nav_products: "My products",
    language_label: "Language",
    sign_in_link: "Sign in",
    sign_out: "Sign out",
    footer: "Open CLP: customer licensing portal",
    loading: "Loading…",
    retry: "Retry",
    network_title: "We couldn't reach the server",
    network_remedy: "Check your internet connection, then select Retry.",
    details_label: "Details",
    field_errors_heading: "Please correct these fields:",
    wizard_heading: "Activate your products",
    wizard_intro: "Enter any registration key from your license certificate to see every product of the order and activate them together.",
    steps_label: "Activation steps",
    step_enter_key: "Enter key",
    step_review: "Review order",
    step_account: "Account",
    step_confirm_email: "Confirm email",
    step_done: "Done",
    step_completed: "(completed)",
    enter_key_heading: "Enter your registration key",
    key_label: "Registration Key",
    key_help: "Any key of the order, as printed on the license certificate (for example XX-0000-0000-0000-0000). Upper or lower case, spaces and hyphens don't matter.",
    key_submit: "Show my order",
    key_empty: "Enter the registration key from your license certificate.",
    key_check_failed: "The key looks mistyped: its last digit does not match the others. Check each character against your license certificate.",
    key_bad_prefix: "This is not a registration key. Check it against your license certificate.",
    review_heading: "Review your order",
    lines_heading: "Products and services to activate",
    seats_label: "Seats",
    term_label: "Term",
    delivery_label: "Delivery",
    components_label: "Includes",
    badge_xdr_addon: "XDR add-on",
    badge_xdr_related: "XDR related",
    end_customer_heading: "End customer",
    company_label: "Company",
    contact_label: "Contact",
    contact_email_label: "Contact email",
    country_label: "Country",
    conflicts_heading: "This order can't be activated in your account",
    region_label: "Trend Micro XDR region",
    region_help: "Where Trend Micro XDR keeps your data. It is set once for your account and can't be changed later.",
    review_continue: "Continue",
    use_other_key: "Use a different key",
    legacy_notice: "This key uses the standard registration: only the product of this key is registered, and the registration takes effect at once.",
    account_heading: "Choose your account",
    activate_button: "Activate with this account",
    use_other_account: "Sign out and use another account",
    hints_heading: "You may already have an account",
    hint_binding: "This order must be activated in that account: sign in to it to continue.",
    sign_in_heading: "Sign in",
    login_label: "Email or login ID",
    password_label: "Password",
    sign_in_button: "Sign in",
    signup_heading: "Create an account",
    signup_intro: "New to Open CLP? Create an account; we will email you a link to confirm the activation.",
    email_label: "Email",
    full_name_label: "Full name",
    country_code_label: "Country code",
    country_code_help: "Two letters, for example US, JP or DE.",
    signup_button: "Create account and activate",
    submitting: "Sending…",
    confirm_heading: "Check your email",
    confirm_sent: "We sent a verification link to the email address of your account. Open it to complete the activation.",
    confirm_nothing_until: "Nothing is activated until you open the link. If the link expires, start the activation again.",
    start_again: "Start again",
    verify_heading: "Complete your activation",
    verifying: "Completing your activation…",
    verify_missing_token: "This link is incomplete or has already been used. Open the link from the email again, or start the activation again.",
    verify_email_heading: "Confirm your email address",
    verify_email_working: "Confirming your email address…",
    verify_email_done_heading: "Your email address is confirmed",
    verify_email_done_body: "Thank you. You can now activate products with your account and see them in My products.",
    verify_email_expired_title: "This confirmation link has expired",
    verify_email_expired_remedy: "Your email address is not confirmed yet. Sign in and start an activation with a registration key: we will email you a new link, and opening it confirms your address.",
    verify_email_invalid_title: "This link is not valid or has already been used",
    verify_email_invalid_remedy: "If you have already opened it, your email address is confirmed: sign in to continue. Otherwise, open the link from the email again and check that the whole address was copied.",
    done_heading: "Your products are activated",
    ac_label: "Activation codes",
    open_console: "Open Trend Micro XDR console",
    opens_new_tab: "(opens in a new tab)",
    go_products: "Go to My products",
    dialog_title: "Manage your XDR add-ons in Trend Micro XDR",
    close: "Close",
    legacy_account_heading: "Sign in or register",
    legacy_form_heading: "Register a new account",
    legacy_form_intro: "All fields are required.",
    login_id_label: "Login ID",
    address_label: "Address",
    city_label: "City",
    state_label: "State, prefecture or province",
    postal_code_label: "Postal code",
    phone_label: "Phone",
    contact_name_label: "Contact name",
    legacy_register_button: "Register account and product",
    legacy_register_signed_in: "Register the product",
    legacy_done_heading: "Your product is registered",
    legacy_done_email: "We sent you an email confirming the registration.",
    legacy_renewal_done: "This renewal extends your existing activation code.",
    products_heading: "My products and services",
    products_sign_in_prompt: "Sign in to see the products and services activated on your account.",
    products_empty: "No products or services are registered to your account yet.",
    products_activate_link: "Activate products",
    status_label: "Status",
    order_label: "Order",
    service_label: "Service",
    copy: "Copy",
    copied: "Copied",
    copy_failed: "Couldn't copy. Select the code and copy it yourself.",
    xdr_heading: "Trend Micro XDR",
    xdr_not_enabled: "Trend Micro XDR is enabled when you activate an order with an XDR add-on.",
    sign_in_page_heading: "Sign in to Open CLP",
    sign_in_page_intro: "Sign in with the email address or login ID of your account.",
    not_found_heading: "Page not found",
    not_found_body: "There is nothing at this address.",
    not_found_link: "Go to the activation page",
    // Accounts: forgot and reset password, two-step sign-in, My account, resend (issue 15).
    forgot_password_link: "Forgot password?",
    otp_label: "Authentication code",
    otp_help: "The 6-digit code from your authenticator app, or one of your recovery codes.",
    otp_intro: "Your account uses two-step sign-in: enter the code from your authenticator app.",
    forgot_heading: "Reset your password",
    forgot_intro: "Enter the email address of your account. We will email you a link to choose a new password.",
    forgot_button: "Email me a reset link",
    forgot_sent_heading: "Check your email",
    back_to_sign_in: "Back to sign in",
    reset_heading: "Choose a new password",
    new_password_label: "New password",
    password_rules: "Use at least 12 characters. A passphrase of several words is easy to remember and hard to guess.",
    reset_button: "Set new password",
    reset_done_heading: "Your password is changed",
    reset_done_body: "Sign in with your new password. Every other session of your account has been signed out.",
    reset_expired_title: "This reset link has expired or was already used",
    reset_expired_remedy: "Each link works once, for one hour. Ask for a new link below.",
    reset_missing_token: "This link is incomplete. Open the link from the email again, or ask for a new one.",
    reset_new_link: "Request a new link",
    nav_account: "My account",
    account_page_heading: "My account",
    account_sign_in_prompt: "Sign in to manage your profile, password, email address and two-step sign-in.",
    optional_mark: "(optional)",
    profile_heading: "Profile",
    email_language_label: "Language of emails",
    save_button: "Save changes",
    profile_saved: "Your profile is saved.",
    password_heading: "Change password",
    current_password_label: "Current password",
    password_button: "Change password",
    password_changed: "Your password is changed. Your other sessions have been signed out.",
    email_heading: "Change email address",
    new_email_label: "New email address",
    email_button: "Send confirmation link",
    mfa_heading: "Two-step sign-in",
    mfa_off_intro: "Two-step sign-in is off. Turn it on to ask for a code from an authenticator app (such as Google Authenticator, Microsoft Authenticator or 1Password) each time you sign in.",
    mfa_on_status: "Two-step sign-in is on: each sign-in asks for a code from your authenticator app.",
    mfa_enrol_button: "Set up two-step sign-in",
    mfa_scan: "Scan this QR code with your authenticator app, or type the setup key into it. Then enter the code the app shows.",
    mfa_qr_label: "QR code to scan with your authenticator app",
    mfa_secret_label: "Setup key",
    mfa_code_label: "6-digit code from the app",
    mfa_confirm_button: "Turn on two-step sign-in",
    cancel: "Cancel",
    recovery_heading: "Save your recovery codes",
    recovery_intro: "If you lose your phone, each of these codes signs you in once instead of the app's code. They are shown only now: copy or download them and keep them somewhere safe.",
    recovery_copy: "Copy codes",
    recovery_download: "Download codes",
    recovery_done: "I have saved my codes",
    mfa_disable_heading: "Turn off two-step sign-in",
    mfa_disable_code_label: "Code from the app, or a recovery code",
    mfa_disable_button: "Turn off two-step sign-in",
    mfa_disabled: "Two-step sign-in is off.",
    activity_heading: "Recent activity",
    activity_empty: "Nothing has happened on your account yet.",
    activity_when: "When",
    activity_what: "What",
    resend_button: "Resend the email",
    resend_sent: "We sent a new link. Only the newest link works.",
    resend_too_many: "We can't send more emails for this activation. Check your spam folder, or use a different email.",
    different_email_button: "Use a different email",

    // Wizard honesty and My products (h-wizard).
    crossgrade_heading: "Sign in to the account that holds the upgraded products",
    renewal_heading: "Sign in to the account that holds the renewed product",
    login_id_rules: "3 to 64 letters, digits, dots, hyphens or underscores.",
    verify_stopped_title: "This activation was stopped, and nothing was activated",
    verify_stopped_remedy: "When this link was first opened, a restriction of the account it was for stopped the activation: for example, a cloud service of the order was already active in that account, or the order needs another Trend Micro XDR region. Opening the link again can't change that. Start again with your registration key and choose an account that can take the order, or create a new one.",
    verify_used_title: "This link was already used: your order is activated",
    verify_used_remedy: "Nothing more is needed. Sign in and open My products to see the products and their activation codes.",
    verify_done_before: "You already completed this activation in this browser tab; here is the result again.",
    products_filter_label: "Find products",
    products_status_filter_label: "Status",
    products_status_all: "All statuses",
    products_text_filter_label: "Search",
    products_text_filter_help: "Product name, order number or activation code.",
    products_no_match: "No product matches these filters.",
    products_pages_label: "Pages of products",
    products_previous_page: "Previous page",
    products_next_page: "Next page",
    products_download_csv: "Download CSV",
    products_downloading: "Downloading…",

    signed_in_as: |email| format!("Signed in as {email}"),
    key_wrong_length: |expected, found| {
        format!(
            "The key should have {expected} letters and digits (not counting hyphens and spaces), \
             but it has {found}. Check that none is missing or repeated."
        )
    },
    key_invalid_character: |character, position| {
        format!(
            "The character “{character}” is not allowed at position {position} of the key \
             (counting letters and digits only). Check it against your license certificate."
        )
    },
    order_number: |number| format!("Order {number}"),
    registered_count: |count| {
        if count == 1 {
            "1 line of this order is already registered and is not shown.".to_owned()
        } else {
            format!("{count} lines of this order are already registered and are not shown.")
        }
    },
    region_pinned: |region| {
        format!("Trend Micro XDR region: {region} (set by a product of this order)")
    },
    region_of_account: |region| format!("Trend Micro XDR region: {region} (your account's region)"),
    signed_in_continue: |email| {
        format!("You are signed in as {email}. The order will be activated in this account.")
    },
    hint_line: |email, reason| format!("{email}: {reason}"),
    confirm_sent_to: |email| {
        format!("We sent a verification link to {email}. Open it to complete the activation.")
    },
    confirm_expires: |when| format!("The link expires on {when}."),
    done_intro: |order| format!("Order {order} is now registered to your account."),
    dialog_body: |region| {
        format!(
            "Your XDR add-ons are ready in the {region} region. Open the Trend Micro XDR console \
             to manage them. You can also open it later from My products."
        )
    },
    copy_label: |code| format!("Copy activation code {code}"),
    xdr_enabled: |region| {
        format!("Trend Micro XDR is enabled for your account in the {region} region.")
    },
    // Accounts (issue 15).
    forgot_sent_to: |email| {
        format!(
            "If an account uses {email}, we sent it a link to choose a new password. \
             The link works once, for one hour. No email? Check your spam folder."
        )
    },
    current_email: |email| format!("Your email address is {email}."),
    email_change_sent: |email| {
        format!(
            "Check your new address: we sent a link to {email}. Your email address changes \
             when you open it; until then, keep using the current one."
        )
    },
    activity_kind: |kind| {
        match kind {
            "account.created" => "Account created",
            "account.email_verified" => "Email address confirmed",
            "session.created" => "Signed in",
            "session.failed" => "Failed sign-in attempt",
            "activation.requested" => "Activation requested",
            "activation.verified" => "Activation completed",
            "activation.expired" => "Activation link expired",
            "line.registered" => "Product registered",
            "renewal.applied" => "Renewal applied",
            "password.reset" => "Password reset",
            "password.changed" => "Password changed",
            "password.reset_requested" => "Password reset requested",
            "account.email_changed" => "Email address changed",
            "account.email_change_requested" => "Email address change requested",
            "account.profile_updated" => "Profile updated",
            "activation.resent" => "Activation email sent again",
            "activation.cancelled" => "Activation cancelled",
            "mfa.recovery_code_used" => "Recovery code used",
            "mfa.enabled" => "Two-step sign-in turned on",
            "mfa.disabled" => "Two-step sign-in turned off",
            other => return other.to_owned(),
        }
        .to_owned()
    },

    // Wizard honesty and My products (h-wizard).
    crossgrade_body: |email| {
        format!(
            "This order upgrades products that are registered to the account {email}. It can only \
             be activated in that account, so a new account can't be created for it. Sign in to \
             {email} to continue."
        )
    },
    renewal_body: |email| {
        format!(
            "This key renews a product registered to the account {email}. The renewal can only be \
             registered in that account, so a new account can't be created for it. Sign in to \
             {email} to continue."
        )
    },
    days_left: |days| match days {
        0 => "ends today".to_owned(),
        1 => "1 day left".to_owned(),
        n => format!("{n} days left"),
    },
    products_shown: |first, last, matching, total| {
        if matching == total {
            format!("Showing {first}–{last} of {total} products")
        } else {
            format!("Showing {first}–{last} of {matching} matching products ({total} in all)")
        }
    },
    products_page_of: |page, pages| format!("Page {page} of {pages}"),

    errors: ErrorTexts {
        saas_conflict: ErrorText {
            title: "A cloud service of this order is already active in this account",
            remedy: "Register the order to another account, or create a new account.",
        },
        region_conflict: ErrorText {
            title: "This order needs a different Trend Micro XDR region than your account's",
            remedy: "Register the order to another account, or create a new account.",
        },
        crossgrade_account_required: ErrorText {
            title: "This order upgrades products of an existing account",
            remedy: "Sign in to the account that owns those products and activate the order there.",
        },
        renewal_account_mismatch: ErrorText {
            title: "This renewal belongs to another account",
            remedy: "Sign in to the account that owns the activation code being renewed.",
        },
        nothing_to_activate: ErrorText {
            title: "Every product of this order is already registered",
            remedy: "There is nothing left to activate. Sign in and open My products to see them.",
        },
        verification_expired: ErrorText {
            title: "This verification link has expired",
            remedy: "Nothing was activated. Start the activation again with your registration key.",
        },
        already_registered: ErrorText {
            title: "This product is already registered",
            remedy: "Open My products to see it, or check that you entered the right key.",
        },
        wrong_flow: ErrorText {
            title: "This key uses a different registration process",
            remedy: "Start again from the activation page with the same key; it will take you to the right step.",
        },
        invalid_key: ErrorText {
            title: "This key is not valid",
            remedy: "Check each character against your license certificate and enter it again.",
        },
        unknown_key: ErrorText {
            title: "We don't know this key",
            remedy: "Check the key against your license certificate. If it is correct, contact the reseller who sold you the license.",
        },
        validation_failed: ErrorText {
            title: "Some information is missing or not valid",
            remedy: "Correct the fields listed below and send the form again.",
        },
        invalid_credentials: ErrorText {
            title: "The email, login ID or password is not correct",
            remedy: "Check them and try again.",
        },
        unauthorized: ErrorText {
            title: "You are not signed in",
            remedy: "Sign in, then try again.",
        },
        forbidden: ErrorText {
            title: "Your account can't do this",
            remedy: "Sign in with another account, or contact support.",
        },
        not_found: ErrorText {
            title: "We couldn't find what you asked for",
            remedy: "Check the address, or start again from the activation page.",
        },
        account_exists: ErrorText {
            title: "An account with this email or login ID already exists",
            remedy: "Sign in to that account instead, or use another email address or login ID.",
        },
        conflict: ErrorText {
            title: "This conflicts with existing data",
            remedy: "Reload the page and try again.",
        },
        idempotency_mismatch: ErrorText {
            title: "This request was already sent with different content",
            remedy: "Start again from the activation page.",
        },
        rate_limited: ErrorText {
            title: "Too many attempts",
            remedy: "Wait a minute, then try again.",
        },
        unavailable: ErrorText {
            title: "The service is temporarily unavailable",
            remedy: "Try again in a few minutes.",
        },
        internal: ErrorText {
            title: "Something went wrong on our side",
            remedy: "Try again in a few minutes. If it keeps happening, contact support.",
        },
        bad_request: ErrorText {
            title: "The request could not be read",
            remedy: "Reload the page and try again.",
        },
        link_expired: ErrorText {
            title: "This link has expired",
            remedy: "It was used already or is too old. Ask for a new one.",
        },
        mfa_required: ErrorText {
            title: "Enter your second factor",
            remedy: "Enter the code of your authenticator app, or one of your recovery codes.",
        },
        order_in_use: ErrorText {
            title: "The order is in use",
            remedy: "A product of this order is registered or being activated.",
        },
        order_cancelled: ErrorText {
            title: "This order was cancelled",
            remedy: "Its keys no longer activate anything. Contact your reseller.",
        },
    },
    regions: RegionNames {
        us: "United States",
        eu: "Europe",
        jp: "Japan",
        sg: "Singapore",
        au: "Australia",
        r#in: "India",
        mea: "Middle East and Africa",
        uk: "United Kingdom",
        ca: "Canada",
    },
    delivery: DeliveryNames {
        ac: "Activation code",
        saas: "Cloud service (SaaS)",
        suite: "Suite: one activation code per component",
    },
    hint_reasons: HintReasonNames {
        retained_ac_owner: "owns a product that this order upgrades",
        renewed_ac_owner: "owns the product that this order renews",
        contact_email: "uses the contact email of this order",
        email_domain: "uses the same email domain as this order",
        company_name: "is registered to the same company",
    },
    statuses: StatusNames {
        active: "Active",
        expiring: "Expiring",
        expired: "Expired",
    },
};
