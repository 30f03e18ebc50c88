//! Building blocks shared by the pages; they take props and report through callbacks.

pub mod copy_button;
pub mod header;
pub mod lines;
pub mod problem;
pub mod sign_in_form;
pub mod steps;
pub mod xdr_dialog;
