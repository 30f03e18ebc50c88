//! Building blocks shared by the pages; they take props and report through callbacks.

pub mod confirm_email_actions;
pub mod copy_button;
pub mod form_field;
pub mod form_problem;
pub mod header;
pub mod lines;
pub mod problem;
pub mod qr_code;
pub mod sign_in_form;
pub mod steps;
pub mod xdr_dialog;
