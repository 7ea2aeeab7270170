//! What the sandbox checks of an HTTP call before the call itself: the `x-reference-id`
//! header and, on the POST calls that document it, the `lang` query parameter. The typed
//! calls ([`super::Sandbox`] with a [`super::CallContext`]) take neither, since no answer
//! depends on them; the npm package's `FlexitiSandbox.createFetch` runs these checks on
//! every request it answers.

use crate::flexiti::auth::ReferenceId;
use crate::flexiti::common::Lang;
use crate::flexiti::error::{ApiError, ErrorCode};
use crate::flexiti::form;
use crate::validation::{code, Validation};

/// `x-reference-id`, required on every call, the token call included (reference §3.1, [C]):
/// ASCII (32), printable. A missing, empty, non-ASCII or longer value is refused with
/// `409 wrong_inputs`, the header named in `field_errors` with the value sent. The
/// reference names no answer for a bad header; `wrong_inputs` is the code the sandbox gives
/// every other missing or wrong input [I], with its documented status: 409 in the code index
/// (§9.3, "parameter validation") and on the token call too (§4.1 lists `409 wrong_inputs`
/// beside the 400 of `invalid_client` and `invalid_request`, which are about the form).
pub fn check_reference_id(header: Option<&str>) -> Result<ReferenceId, ApiError> {
    let problem = match header {
        None => (
            code::REQUIRED,
            format!(
                "x-reference-id is missing; every call sends it: the flow's GUID without \
                 hyphens, at most {} ASCII characters",
                ReferenceId::MAX_LEN
            ),
        ),
        Some(value) => match ReferenceId::parse(value) {
            Ok(id) => return Ok(id),
            Err(e) => (e.code, e.message),
        },
    };
    let mut validation = Validation::new();
    validation.error("x-reference-id", problem.0, problem.1);
    let mut error = ApiError::wrong_inputs(&validation);
    if let Some(field) = error.field_errors.first_mut() {
        field.value = header.map(str::to_owned);
    }
    Err(error)
}

/// The token form's fields whose value a refusal may quote: none of them is a secret.
const TOKEN_PLAIN_FIELDS: [&str; 3] = ["client_id", "grant_type", "scope"];

/// The answer to a token call whose form body does not validate
/// ([`crate::flexiti::TokenRequest::from_form`]'s problems): `400 invalid_client` when the client id or
/// secret is at fault, else `400 invalid_request`, every problem in `field_errors` with the
/// value sent for it only when that field is one of [`TOKEN_PLAIN_FIELDS`]: never the client
/// secret or the refresh token, nor the value of a field the form does not have — a misspelt
/// `clientSecret=`, `secret=` or `refreshToken=` carries a secret under a name no list of
/// secrets can foresee —, and nothing for a body that is not a form.
pub fn token_refusal(body: &str, validation: &Validation) -> ApiError {
    let about_client = validation
        .errors()
        .any(|p| p.path == "client_id" || p.path == "client_secret");
    let code = if about_client {
        ErrorCode::InvalidClient
    } else {
        ErrorCode::InvalidRequest
    };
    let mut error = ApiError::wrong_inputs(validation);
    error.status = code.http_status();
    error.code = code;
    let pairs = form::decode(body).unwrap_or_default();
    error.with_sent_values(|param| {
        pairs
            .iter()
            .find(|(name, _)| name == param && TOKEN_PLAIN_FIELDS.contains(&param))
            .map(|(_, value)| value.clone())
    })
}

/// The `lang` query parameter of a POST call that documents it
/// ([`crate::flexiti::Endpoint::takes_lang`]), read as the GET calls' query types read
/// theirs: `en` when absent, `en` or `fr` (their locale forms too), and anything else
/// `409 wrong_inputs` with `lang` in `field_errors`, the answer a GET query with that `lang`
/// gets.
pub fn check_lang(value: Option<&str>) -> Result<Lang, ApiError> {
    let Some(value) = value else {
        return Ok(Lang::default());
    };
    Lang::parse(value).map_err(|e| {
        let mut validation = Validation::new();
        validation.error("lang", e.code, e.message);
        ApiError::wrong_inputs(&validation).with_sent_values(|_| Some(value.to_owned()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexiti::common::RequestBody;
    use crate::flexiti::error::ErrorCode;
    use crate::flexiti::CustomerLookupQuery;

    #[test]
    fn the_reference_id_is_required_ascii_and_at_most_32_characters() {
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(check_reference_id(Some(id)).unwrap().as_str(), id);
        assert!(check_reference_id(Some("flow-1")).is_ok());
        for (header, problem) in [
            (None, code::REQUIRED),
            (Some(""), code::REQUIRED),
            (Some("é"), code::INVALID_FORMAT),
            (Some("a\nb"), code::INVALID_FORMAT),
            (Some(&*format!("{id}0")), code::TOO_LONG),
        ] {
            let error = check_reference_id(header).unwrap_err();
            // The status errorCodes() lists for wrong_inputs.
            assert_eq!((error.status, &error.code), (409, &ErrorCode::WrongInputs));
            assert_eq!(error.status, ErrorCode::WrongInputs.http_status());
            assert_eq!(error.field_errors.len(), 1);
            let field = &error.field_errors[0];
            assert_eq!(field.param, "x-reference-id");
            assert!(
                field.msg.ends_with(&format!("({problem})")),
                "{}",
                field.msg
            );
            assert_eq!(field.value.as_deref(), header);
            // The body reads back as what was sent.
            assert_eq!(ApiError::from_response(409, &error.to_body()), error);
        }
        let missing = check_reference_id(None).unwrap_err();
        assert!(missing
            .message
            .starts_with("x-reference-id: x-reference-id is missing"));
    }

    #[test]
    fn a_token_refusal_names_the_values_sent_but_never_a_secret_or_the_body() {
        let refuse = |body: &str| {
            let validation = crate::flexiti::TokenRequest::from_form(body).unwrap_err();
            token_refusal(body, &validation)
        };
        let error = refuse("client_id=flexitidemo&client_secret=s3cret&grant_type=pasword");
        assert_eq!((error.status, error.code()), (400, "invalid_request"));
        let field = &error.field_errors[0];
        assert_eq!(
            (field.param.as_str(), field.value.as_deref()),
            ("grant_type", Some("pasword"))
        );
        let error = refuse("client_id=%C3%A9&client_secret=s3cret&refresh_token=r3fresh");
        assert_eq!((error.status, error.code()), (400, "invalid_client"));
        for field in &error.field_errors {
            let expected = (field.param == "client_id").then_some("é");
            assert_eq!(field.value.as_deref(), expected, "{field:?}");
        }
        let json = r#"{"client_id":"flexitidemo","client_secret":"s3cret"}"#;
        let error = refuse(json);
        assert_eq!((error.status, error.code()), (400, "invalid_request"));
        assert_eq!(error.field_errors.len(), 1);
        assert_eq!(error.field_errors[0].param, "");
        assert_eq!(error.field_errors[0].value, None);
        let body = error.to_body();
        assert!(
            !body.contains("s3cret") && !body.contains("flexitidemo"),
            "{body}"
        );
        assert!(body.contains(r#""value":null"#), "{body}");
    }

    #[test]
    fn a_token_refusal_never_quotes_the_value_of_a_field_the_form_does_not_have() {
        let secret = "0123456789abcdef0123456789abcdef";
        let refresh = "r3fresh-r3fresh-r3fresh";
        for body in [
            format!("client_id=flexitidemo&clientSecret={secret}"),
            format!("client_id=flexitidemo&secret={secret}"),
            format!("client_id=flexitidemo&client_secrett={secret}"),
            format!("client_id=flexitidemo&Client_Secret={secret}"),
            format!("client_id=flexitidemo&client-secret={secret}"),
            format!("client_id=flexitidemo&password={secret}"),
            format!(
                "client_id=flexitidemo&client_secret={secret}&grant_type=refresh_token&\
                 refreshToken={refresh}"
            ),
            format!(
                "client_id=flexitidemo&client_secret={secret}&grant_type=refresh_token&\
                 refresh={refresh}"
            ),
            format!("client_id=flexitidemo&client_secret={secret}&client_secret={secret}"),
            format!("client_id=flexitidemo&client_secret={secret}&token={refresh}"),
        ] {
            let validation = crate::flexiti::TokenRequest::from_form(&body).unwrap_err();
            let error = token_refusal(&body, &validation);
            let answer = error.to_body();
            assert!(
                !answer.contains(secret) && !answer.contains(refresh),
                "{body}: {answer}"
            );
            assert!(!error.field_errors.is_empty(), "{body}");
            for field in &error.field_errors {
                assert_eq!(field.value, None, "{body}: {field:?}");
            }
        }
        // A field the form has and that holds no secret is still quoted.
        let body = "client_id=flexitidemo&client_secret=s3cret&scope=shop";
        let validation = crate::flexiti::TokenRequest::from_form(body).unwrap_err();
        let error = token_refusal(body, &validation);
        assert_eq!(error.field_errors[0].param, "scope");
        assert_eq!(error.field_errors[0].value.as_deref(), Some("shop"));
    }

    #[test]
    fn lang_is_read_as_the_get_queries_read_it() {
        assert_eq!(check_lang(None), Ok(Lang::En));
        assert_eq!(check_lang(Some("fr")), Ok(Lang::Fr));
        assert_eq!(check_lang(Some("fr-CA")), Ok(Lang::Fr));
        assert_eq!(check_lang(Some("EN")), Ok(Lang::En));
        for value in ["de", "", "english"] {
            let error = check_lang(Some(value)).unwrap_err();
            // The very answer of a look-up whose query has that lang.
            let query = format!(r#"{{"account_number":"10000000000001","lang":"{value}"}}"#);
            let get = ApiError::wrong_inputs_in(
                &CustomerLookupQuery::from_json(&query).unwrap_err(),
                &query,
            );
            assert_eq!(error, get, "{value}");
            assert_eq!(error.field_errors[0].value.as_deref(), Some(value));
            assert_eq!(
                (error.status, error.field_errors[0].param.as_str()),
                (409, "lang")
            );
        }
    }
}
