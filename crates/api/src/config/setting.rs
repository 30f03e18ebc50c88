//! How the text of one configuration variable becomes its value, for clap.
//!
//! Two rules hold for every variable, so they live here rather than in each parser: a blank
//! value counts as unset (deployment templates often write `CLP_SMTP_URL=`), and an error names
//! the variable without repeating the value, which may carry a password.

use std::ffi::OsStr;

use clap::error::ErrorKind;
use clap::{Arg, Command};

/// A clap value parser built from `parse`, the rules of one variable.
#[derive(Clone)]
pub struct Setting<F>(F);

/// A variable with a default: a blank value stands for the argument's `default_value`.
pub fn setting<T, F>(parse: F) -> Setting<F>
where
    F: Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static,
{
    Setting(parse)
}

/// A variable that may stay unset: blank (and the hidden empty default) is `None`.
///
/// clap's derive reads a field typed `Option<T>` as "this argument is optional" and would then
/// expect a `T`; a field of this setting is spelled `std::option::Option<T>` with
/// `default_value = ""`, so that the parsed value is the `Option` itself.
pub fn optional<T, F>(
    parse: F,
) -> Setting<impl Fn(&str) -> Result<Option<T>, String> + Clone + Send + Sync + 'static>
where
    F: Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static,
{
    Setting(move |text: &str| {
        if text.is_empty() {
            Ok(None)
        } else {
            parse(text).map(Some)
        }
    })
}

impl<T, F> clap::builder::TypedValueParser for Setting<F>
where
    T: Clone + Send + Sync + 'static,
    F: Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static,
{
    type Value = T;

    fn parse_ref(
        &self,
        _cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        // Not clap's "invalid value '...' for '--x'": that would print the value.
        let fail = |message: &str| {
            clap::Error::raw(
                ErrorKind::ValueValidation,
                format!("{}: {message}\n", variable_name(arg)),
            )
        };
        let text = value.to_str().ok_or_else(|| fail("is not valid UTF-8"))?;
        let text = if text.trim().is_empty() {
            let default = arg.and_then(|arg| arg.get_default_values().first());
            default.and_then(|d| d.to_str()).unwrap_or_default()
        } else {
            text
        };
        (self.0)(text).map_err(|message| fail(&message))
    }
}

/// The variable an error names (`--x` for an option that has none).
fn variable_name(arg: Option<&Arg>) -> String {
    match arg {
        Some(arg) => arg.get_env().map_or_else(
            || {
                format!(
                    "--{}",
                    arg.get_long().unwrap_or_else(|| arg.get_id().as_str())
                )
            },
            |env| env.to_string_lossy().into_owned(),
        ),
        None => "a configuration value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use clap::builder::TypedValueParser as _;

    use super::*;

    fn number(text: &str) -> Result<u32, String> {
        text.parse().map_err(|_| "is not a number".to_owned())
    }

    #[test]
    fn a_blank_value_is_the_default_and_an_error_names_the_variable_only() {
        let command = Command::new("clp-server");
        let arg = Arg::new("limit")
            .long("limit")
            .env("CLP_SETTING_TEST_NEVER_SET")
            .default_value("60");
        let parse = |text: &str| setting(number).parse_ref(&command, Some(&arg), OsStr::new(text));
        assert_eq!(parse("7").unwrap(), 7);
        assert_eq!(parse("").unwrap(), 60);
        assert_eq!(parse(" \t").unwrap(), 60);
        let error = parse("s3cret").unwrap_err().to_string();
        assert_eq!(
            error,
            "error: CLP_SETTING_TEST_NEVER_SET: is not a number\n"
        );

        let no_env = Arg::new("limit").long("limit");
        let error = setting(number)
            .parse_ref(&command, Some(&no_env), OsStr::new("x"))
            .unwrap_err();
        assert!(error.to_string().contains("--limit: "), "{error}");
    }

    #[test]
    fn an_optional_setting_is_none_when_blank() {
        let command = Command::new("clp-server");
        let arg = Arg::new("url").long("url").default_value("");
        let parse = |text: &str| optional(number).parse_ref(&command, Some(&arg), OsStr::new(text));
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("  ").unwrap(), None);
        assert_eq!(parse("3").unwrap(), Some(3));
        assert!(parse("x").is_err());
    }
}
