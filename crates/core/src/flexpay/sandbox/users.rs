//! Users of the sandbox account (reference §17, Account settings → Users / Manage Users):
//! account-wide, not per environment. Each has a name, a username (an email address, unique
//! without regard to ASCII case, which never changes), an access level, and the flags Disabled and
//! Locked.
//!
//! - **Adding** a user takes a temporary password of 8 to 128 characters with a capital
//!   letter, a digit and a symbol and no white space at either end (refused, never trimmed);
//!   every broken rule is reported at once. Only a salted SHA-256 hash of it is kept, as API
//!   keys are kept; the [`Invitation`] returned is the one copy of the password, to hand to
//!   the user (it carries no link: the static portal has no sign-in page to link to).
//! - **The last administrator** (flexkit's choice; FlexPay's documentation is silent): the
//!   account always keeps at least one enabled Account Administrator, so disabling, deleting
//!   or demoting the last one is refused with `last_administrator`. A locked administrator
//!   still counts: unlocking is an administrator's call, not a sign-in.
//! - **Locked**: FlexPay locks a user after failed sign-ins. The embedded sandbox has no
//!   sign-in, so the flag is only ever set by an imported snapshot and cleared by
//!   [`Sandbox::unlock_user`].
//! - **A fresh account** has one user, the account owner ([`OWNER_NAME`], [`OWNER_USERNAME`],
//!   Account Administrator), as FlexPay's onboarding creates an account with one
//!   administrator. Its password was never given to the sandbox, so none is kept. A snapshot
//!   writes `users` only once they differ from that one user, so documents written before
//!   users existed load with the owner and are written back unchanged.

use serde::{Deserialize, Serialize};

use crate::flexpay::validate::limits::EMAIL;
use crate::flexpay::validate::looks_like_email;
use crate::time::UtcTimestamp;

use super::accounts::is_false;
use super::api_keys::{sha256, KeyHash};
use super::console_customers::contains_ignoring_case;
use super::error_code as code;
use super::tokens::{fnv1a, FastMap};
use super::{AdminError, Sandbox};

/// Name of the user a fresh account starts with.
pub const OWNER_NAME: &str = "Account Owner";
/// Username of the user a fresh account starts with.
pub const OWNER_USERNAME: &str = "owner@example.com";
/// Fewest characters of a temporary password (FlexPay's rule).
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Most characters of a temporary password (flexkit's limit).
pub const PASSWORD_MAX_CHARS: usize = 128;
/// Most characters of a user's name (flexkit's limit).
pub const NAME_MAX_CHARS: usize = 100;

/// What a user may do (reference §17, user roles).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AccessLevel {
    /// Full control: users, exports, API keys, gateways, configuration.
    AccountAdministrator,
    /// Read-only.
    AccountReader,
    /// Transactions only, no reports (formerly "Gateway Accounting Manager").
    GatewayAccountManager,
    /// Like Account Reader, plus adding payment gateways.
    GatewayAdministrator,
}

/// One right of the roles table, as the portal lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Right {
    ViewTransactions,
    ViewReports,
    AddGateways,
    ManageGateways,
    ManageApiKeys,
    ManageUsers,
    Export,
    ChangeConfiguration,
}

impl Right {
    /// Every right, in the order the portal's table shows them.
    pub const ALL: [Right; 8] = [
        Right::ViewTransactions,
        Right::ViewReports,
        Right::AddGateways,
        Right::ManageGateways,
        Right::ManageApiKeys,
        Right::ManageUsers,
        Right::Export,
        Right::ChangeConfiguration,
    ];

    /// The stable code the npm package names the right by.
    pub fn code(self) -> &'static str {
        match self {
            Right::ViewTransactions => "viewTransactions",
            Right::ViewReports => "viewReports",
            Right::AddGateways => "addGateways",
            Right::ManageGateways => "manageGateways",
            Right::ManageApiKeys => "manageApiKeys",
            Right::ManageUsers => "manageUsers",
            Right::Export => "export",
            Right::ChangeConfiguration => "changeConfiguration",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Right::ViewTransactions => "View transactions",
            Right::ViewReports => "View reports",
            Right::AddGateways => "Add payment gateways",
            Right::ManageGateways => "Update payment gateways",
            Right::ManageApiKeys => "Generate and delete API keys",
            Right::ManageUsers => "Manage users",
            Right::Export => "Export reports and transactions",
            Right::ChangeConfiguration => "Change companies and configuration",
        }
    }
}

impl AccessLevel {
    pub const ALL: [AccessLevel; 4] = [
        AccessLevel::AccountAdministrator,
        AccessLevel::AccountReader,
        AccessLevel::GatewayAccountManager,
        AccessLevel::GatewayAdministrator,
    ];

    /// The name the FlexPay portal shows.
    pub fn label(self) -> &'static str {
        match self {
            AccessLevel::AccountAdministrator => "Account Administrator",
            AccessLevel::AccountReader => "Account Reader",
            AccessLevel::GatewayAccountManager => "Gateway Account Manager",
            AccessLevel::GatewayAdministrator => "Gateway Administrator",
        }
    }

    /// The stable code a snapshot stores.
    pub fn code(self) -> &'static str {
        match self {
            AccessLevel::AccountAdministrator => "accountAdministrator",
            AccessLevel::AccountReader => "accountReader",
            AccessLevel::GatewayAccountManager => "gatewayAccountManager",
            AccessLevel::GatewayAdministrator => "gatewayAdministrator",
        }
    }

    pub fn from_code(code: &str) -> Option<AccessLevel> {
        AccessLevel::ALL
            .into_iter()
            .find(|level| level.code() == code)
    }

    /// The reference's summary of the role.
    pub fn summary(self) -> &'static str {
        match self {
            AccessLevel::AccountAdministrator => {
                "Full control: users, exports, API keys, gateways, configuration."
            }
            AccessLevel::AccountReader => "Read-only.",
            AccessLevel::GatewayAccountManager => {
                "Transactions only, no reports (formerly Gateway Accounting Manager)."
            }
            AccessLevel::GatewayAdministrator => {
                "Like Account Reader, plus adding payment gateways."
            }
        }
    }

    /// The rights of the role, from the reference's roles table: an Account Reader reads
    /// transactions and reports; a Gateway Account Manager reads transactions only; a Gateway
    /// Administrator reads both and adds gateways; an Account Administrator has every right.
    pub fn rights(self) -> &'static [Right] {
        match self {
            AccessLevel::AccountAdministrator => &Right::ALL,
            AccessLevel::AccountReader => &[Right::ViewTransactions, Right::ViewReports],
            AccessLevel::GatewayAccountManager => &[Right::ViewTransactions],
            AccessLevel::GatewayAdministrator => &[
                Right::ViewTransactions,
                Right::ViewReports,
                Right::AddGateways,
            ],
        }
    }

    pub fn has(self, right: Right) -> bool {
        self.rights().contains(&right)
    }
}

/// A user as listed (never with a password).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserListing {
    pub name: String,
    pub username: String,
    pub access_level: AccessLevel,
    pub enabled: bool,
    pub locked: bool,
    /// `None` for the account owner, who was there from the start.
    pub created_at: Option<UtcTimestamp>,
}

/// A page of [`Sandbox::users_page`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserPage {
    /// Users of the account.
    pub total: usize,
    /// Users that match the query.
    pub matches: usize,
    /// The page shown, from 0.
    pub page: usize,
    pub users: Vec<UserListing>,
}

/// What the email to a new user carries: the one copy of the temporary password. The embedded
/// sandbox has no sign-in page, so it carries no link (a link to one would be a dead end): the
/// user is given the username and the temporary password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    pub name: String,
    pub username: String,
    pub access_level: AccessLevel,
    pub temporary_password: String,
}

/// The field of a user form a problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum UserField {
    Name,
    Username,
    AccessLevel,
    TemporaryPassword,
}

/// Why a user could not be added or updated, at its field; every problem is reported at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserProblem {
    pub field: UserField,
    /// One of [`super::error_code`].
    pub code: &'static str,
    /// Worded with the portal's labels (Name, Username, Access level, Temporary password).
    pub message: String,
}

impl UserProblem {
    fn new(field: UserField, code: &'static str, message: impl Into<String>) -> Self {
        UserProblem {
            field,
            code,
            message: message.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct UserRecord {
    pub name: String,
    pub username: String,
    /// An [`AccessLevel`] code; kept as text so that a snapshot naming an unknown level is
    /// refused as inconsistent, naming the user.
    pub access_level: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub disabled: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub locked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<UtcTimestamp>,
    /// Salted SHA-256 of the temporary password; the password itself is kept nowhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<PasswordHash>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PasswordHash {
    pub salt: KeyHash,
    pub sha256: KeyHash,
}

impl UserRecord {
    pub(crate) fn level(&self) -> Option<AccessLevel> {
        AccessLevel::from_code(&self.access_level)
    }

    fn listing(&self) -> UserListing {
        UserListing {
            name: self.name.clone(),
            username: self.username.clone(),
            access_level: self.level().unwrap_or(AccessLevel::AccountReader),
            enabled: !self.disabled,
            locked: self.locked,
            created_at: self.created_at,
        }
    }

    fn is_active_administrator(&self) -> bool {
        !self.disabled && self.level() == Some(AccessLevel::AccountAdministrator)
    }
}

/// The users of a fresh account: the owner alone.
pub(crate) fn seeded() -> Vec<UserRecord> {
    vec![UserRecord {
        name: OWNER_NAME.to_owned(),
        username: OWNER_USERNAME.to_owned(),
        access_level: AccessLevel::AccountAdministrator.code().to_owned(),
        disabled: false,
        locked: false,
        created_at: None,
        password: None,
    }]
}

/// Whether `users` is still what a fresh account has (then a snapshot leaves it out).
pub(crate) fn is_seeded(users: &[UserRecord]) -> bool {
    users == seeded().as_slice()
}

/// Usernames compare without regard to ASCII case (no Unicode case tables in the portal).
fn same_username(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// A username the sandbox takes: an email address of at most [`EMAIL`] bytes.
fn is_username(username: &str) -> bool {
    username.len() <= EMAIL && looks_like_email(username)
}

/// What is wrong with a user's name, if anything.
fn name_problem(name: &str) -> Option<UserProblem> {
    let name = name.trim();
    if name.is_empty() {
        return Some(UserProblem::new(
            UserField::Name,
            code::INVALID_NAME,
            "Enter the user's name.",
        ));
    }
    if let Some(fault) = super::accounts::name_fault(name) {
        return Some(UserProblem::new(
            UserField::Name,
            code::INVALID_NAME,
            format!("Name {fault}."),
        ));
    }
    let chars = name.chars().count();
    (chars > NAME_MAX_CHARS).then(|| {
        UserProblem::new(
            UserField::Name,
            code::INVALID_NAME,
            format!("Name has {chars} characters; use at most {NAME_MAX_CHARS}."),
        )
    })
}

/// A test every temporary password must pass somewhere, its code and what it asks for.
type PasswordRule = (fn(char) -> bool, &'static str, &'static str);

/// Every rule of FlexPay's temporary passwords the password breaks, all at once: at least 8
/// characters, a capital letter, a digit and a symbol; at most 128 characters and no white
/// space at either end (flexkit's rules: a space there is lost as easily as it is typed when
/// the password is copied, and trimming it would store another password than the one typed
/// and shown). flexkit reads the classes in ASCII: a capital is A–Z, a digit 0–9, a symbol
/// one of the ASCII punctuation characters (`! # $ % @` …); other characters are allowed, white
/// space inside too, but count as none of them.
pub fn password_problems(password: &str) -> Vec<UserProblem> {
    let field = UserField::TemporaryPassword;
    let chars = password.chars().count();
    let mut problems = Vec::new();
    if chars < PASSWORD_MIN_CHARS {
        problems.push(UserProblem::new(
            field,
            code::PASSWORD_TOO_SHORT,
            format!(
                "Temporary password needs at least {PASSWORD_MIN_CHARS} characters; it has \
                 {chars}."
            ),
        ));
    }
    if chars > PASSWORD_MAX_CHARS {
        problems.push(UserProblem::new(
            field,
            code::PASSWORD_TOO_LONG,
            format!("Temporary password has {chars} characters; use at most {PASSWORD_MAX_CHARS}."),
        ));
    }
    let rules: [PasswordRule; 3] = [
        (
            |c: char| c.is_ascii_uppercase(),
            code::PASSWORD_NEEDS_CAPITAL,
            "capital letter (A–Z)",
        ),
        (
            |c: char| c.is_ascii_digit(),
            code::PASSWORD_NEEDS_DIGIT,
            "digit (0–9)",
        ),
        (
            |c: char| c.is_ascii_punctuation(),
            code::PASSWORD_NEEDS_SYMBOL,
            "symbol, such as ! # $ % or @",
        ),
    ];
    for (test, code, what) in rules {
        if !password.chars().any(test) {
            problems.push(UserProblem::new(
                field,
                code,
                format!("Temporary password needs at least one {what}."),
            ));
        }
    }
    let mut outer = password.chars();
    let ends = match (
        outer.next().is_some_and(char::is_whitespace),
        outer.next_back().is_some_and(char::is_whitespace),
    ) {
        (true, true) => "both ends",
        (true, false) => "its start",
        (false, true) => "its end",
        (false, false) => return problems,
    };
    problems.push(UserProblem::new(
        field,
        code::PASSWORD_SPACES_AT_ENDS,
        format!(
            "Temporary password has white space at {ends}; remove it, as it is easily lost \
             when the password is copied."
        ),
    ));
    problems
}

fn salted(salt: &[u8; 32], password: &str) -> [u8; 32] {
    let mut bytes = Vec::with_capacity(32 + password.len());
    bytes.extend_from_slice(salt);
    bytes.extend_from_slice(password.as_bytes());
    sha256(&bytes)
}

/// Characters of a suggested password: no 0/O, 1/l/I, which read alike.
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const DIGITS: &[u8] = b"23456789";
const SYMBOLS: &[u8] = b"!#$%&*+-=?@";

impl Sandbox {
    /// Every user, the owner first, then in the order they were added.
    pub fn users(&self) -> Vec<UserListing> {
        self.state.users.iter().map(UserRecord::listing).collect()
    }

    /// The user with this username (without regard to ASCII case), if there is one.
    pub fn user(&self, username: &str) -> Option<UserListing> {
        let at = self.user_position(username).ok()?;
        self.state.users.get(at).map(UserRecord::listing)
    }

    /// How many users the account has.
    pub fn user_count(&self) -> usize {
        self.state.users.len()
    }

    /// One page of `per_page` users, in the order of [`Sandbox::users`], of those whose name
    /// or username contains `query` (ASCII letters in either case; every user when it is
    /// blank): page `page` from 0, or the last one when there are fewer. Only the page's users
    /// are copied, so a console lists an account of any size at once.
    pub fn users_page(&self, query: &str, page: usize, per_page: usize) -> UserPage {
        let query = query.trim();
        let matching = || {
            self.state.users.iter().filter(move |user| {
                contains_ignoring_case(&user.name, query)
                    || contains_ignoring_case(&user.username, query)
            })
        };
        let per_page = per_page.max(1);
        let matches = matching().count();
        let page = page.min(matches.saturating_sub(1) / per_page);
        UserPage {
            total: self.state.users.len(),
            matches,
            page,
            users: matching()
                .skip(page * per_page)
                .take(per_page)
                .map(UserRecord::listing)
                .collect(),
        }
    }

    fn user_position(&self, username: &str) -> Result<usize, AdminError> {
        let username = username.trim();
        self.state
            .users
            .iter()
            .position(|user| same_username(&user.username, username))
            .ok_or_else(|| {
                let username = super::Shown(username);
                AdminError::new(
                    code::USER_NOT_FOUND,
                    format!("no user has the username {username:?}; list the users to see them"),
                )
            })
    }

    /// Refuses a change that would leave no enabled Account Administrator.
    fn keep_an_administrator(&self, position: usize, what: &str) -> Result<(), AdminError> {
        let others = self
            .state
            .users
            .iter()
            .enumerate()
            .any(|(at, user)| at != position && user.is_active_administrator());
        let this = self.state.users.get(position);
        if others || !this.is_some_and(UserRecord::is_active_administrator) {
            return Ok(());
        }
        // A disabled administrator is one Enable away from keeping the rule.
        let disabled =
            self.state.users.iter().find(|user| {
                user.disabled && user.level() == Some(AccessLevel::AccountAdministrator)
            });
        let advice = match disabled {
            Some(user) => format!(
                "Enable {} ({}), a disabled Account Administrator, or make another user an \
                 Account Administrator first.",
                user.name, user.username
            ),
            None => "Make another user an Account Administrator first.".to_owned(),
        };
        Err(AdminError::new(
            code::LAST_ADMINISTRATOR,
            format!(
                "{} is the account's last enabled Account Administrator and cannot be {what}: \
                 the account always keeps one. {advice}",
                this.map_or("", |user| user.name.as_str())
            ),
        ))
    }

    /// Every problem of a user to add, at its field, without adding it.
    pub fn new_user_problems(
        &self,
        name: &str,
        username: &str,
        temporary_password: &str,
    ) -> Vec<UserProblem> {
        let mut problems: Vec<UserProblem> = name_problem(name).into_iter().collect();
        let username = username.trim();
        if username.is_empty() {
            problems.push(UserProblem::new(
                UserField::Username,
                code::INVALID_USERNAME,
                "Enter the user's email address as Username.",
            ));
        } else if let Some(fault) = super::accounts::name_fault(username) {
            // Shown in lists and copied into the invitation: a hidden character there, or
            // U+FFFD for a character the browser could not read, gives a username nobody can
            // type back.
            problems.push(UserProblem::new(
                UserField::Username,
                code::INVALID_USERNAME,
                format!("Username {fault}."),
            ));
        } else if !is_username(username) {
            problems.push(UserProblem::new(
                UserField::Username,
                code::INVALID_USERNAME,
                "Username must be an email address, such as name@example.com.",
            ));
        } else if self.user_position(username).is_ok() {
            problems.push(UserProblem::new(
                UserField::Username,
                code::USERNAME_TAKEN,
                format!("Another user already has the username {username}."),
            ));
        }
        problems.extend(password_problems(temporary_password));
        problems
    }

    /// Adds a user, enabled and not locked. Refused with every problem at once (see
    /// [`Sandbox::new_user_problems`]). The invitation is the only copy of the password.
    pub fn add_user(
        &mut self,
        name: &str,
        username: &str,
        access_level: AccessLevel,
        temporary_password: &str,
        now: UtcTimestamp,
    ) -> Result<Invitation, Vec<UserProblem>> {
        let problems = self.new_user_problems(name, username, temporary_password);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut salt = [0u8; 32];
        for chunk in salt.chunks_mut(8) {
            chunk.copy_from_slice(&self.state.rng.next_u64().to_le_bytes());
        }
        let record = UserRecord {
            name: name.trim().to_owned(),
            username: username.trim().to_owned(),
            access_level: access_level.code().to_owned(),
            disabled: false,
            locked: false,
            created_at: Some(now),
            password: Some(PasswordHash {
                salt: KeyHash(salt),
                sha256: KeyHash(salted(&salt, temporary_password)),
            }),
        };
        let invitation = Invitation {
            name: record.name.clone(),
            username: record.username.clone(),
            access_level,
            temporary_password: temporary_password.to_owned(),
        };
        self.state.users.push(record);
        Ok(invitation)
    }

    /// Whether `password` is the user's temporary password (the hash is compared).
    pub fn check_temporary_password(&self, username: &str, password: &str) -> bool {
        self.user_position(username)
            .ok()
            .and_then(|at| self.state.users.get(at))
            .and_then(|user| user.password)
            .is_some_and(|hash| salted(&hash.salt.0, password) == hash.sha256.0)
    }

    /// A temporary password that keeps the rule: 12 characters with capitals, small letters,
    /// digits and symbols, drawn from the sandbox's random stream masked by its secret one
    /// (see [`Sandbox::use_entropy`]).
    pub fn suggest_temporary_password(&mut self) -> String {
        let all: Vec<u8> = [UPPER, LOWER, DIGITS, SYMBOLS].concat();
        let mut pick = |set: &[u8]| {
            let at = (self.state.rng.next_u64() ^ self.secrets.next_u64()) % set.len() as u64;
            set.get(usize::try_from(at).unwrap_or(0))
                .copied()
                .unwrap_or(b'A')
        };
        let mut chars = vec![pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
        while chars.len() < 12 {
            chars.push(pick(&all));
        }
        for at in (1..chars.len()).rev() {
            let draw = self.state.rng.next_u64() ^ self.secrets.next_u64();
            let other = usize::try_from(draw % (at as u64 + 1)).unwrap_or(0);
            chars.swap(at, other);
        }
        chars.into_iter().map(char::from).collect()
    }

    /// Changes a user's name and access level. Demoting the last enabled Account
    /// Administrator is refused at Access level.
    pub fn update_user(
        &mut self,
        username: &str,
        name: &str,
        access_level: AccessLevel,
        _now: UtcTimestamp,
    ) -> Result<UserListing, Vec<UserProblem>> {
        let position = self.check_update(username, name, access_level)?;
        if let Some(user) = self.state.users.get_mut(position) {
            user.name = name.trim().to_owned();
            user.access_level = access_level.code().to_owned();
        }
        self.state
            .users
            .get(position)
            .map(UserRecord::listing)
            .ok_or_else(Vec::new)
    }

    /// Every problem [`Sandbox::update_user`] would refuse these values for, changing nothing
    /// (the portal's Update form shows them at the fields as they are typed).
    pub fn update_user_problems(
        &self,
        username: &str,
        name: &str,
        access_level: AccessLevel,
    ) -> Vec<UserProblem> {
        self.check_update(username, name, access_level)
            .err()
            .unwrap_or_default()
    }

    /// The position of the user an update is for, or every problem with it.
    fn check_update(
        &self,
        username: &str,
        name: &str,
        access_level: AccessLevel,
    ) -> Result<usize, Vec<UserProblem>> {
        let position = self.user_position(username).map_err(|error| {
            vec![UserProblem::new(
                UserField::Username,
                error.code,
                error.message,
            )]
        })?;
        // A name kept as it is stays: one taken before a rule was added (a character that
        // hides text) must not keep the user from being given another access level.
        let kept = self
            .state
            .users
            .get(position)
            .is_some_and(|user| user.name == name.trim());
        let mut problems: Vec<UserProblem> = if kept {
            Vec::new()
        } else {
            name_problem(name).into_iter().collect()
        };
        if access_level != AccessLevel::AccountAdministrator {
            if let Err(error) = self.keep_an_administrator(position, "given another access level") {
                problems.push(UserProblem::new(
                    UserField::AccessLevel,
                    error.code,
                    error.message,
                ));
            }
        }
        if problems.is_empty() {
            Ok(position)
        } else {
            Err(problems)
        }
    }

    /// Disables (`enabled: false`) or enables a user. Disabling the last enabled Account
    /// Administrator is refused.
    pub fn set_user_enabled(
        &mut self,
        username: &str,
        enabled: bool,
        _now: UtcTimestamp,
    ) -> Result<(), AdminError> {
        let position = self.user_position(username)?;
        if !enabled {
            self.keep_an_administrator(position, "disabled")?;
        }
        if let Some(user) = self.state.users.get_mut(position) {
            user.disabled = !enabled;
        }
        Ok(())
    }

    /// Clears a user's Locked flag (a no-op when it is not locked).
    pub fn unlock_user(&mut self, username: &str, _now: UtcTimestamp) -> Result<(), AdminError> {
        let position = self.user_position(username)?;
        if let Some(user) = self.state.users.get_mut(position) {
            user.locked = false;
        }
        Ok(())
    }

    /// Deletes a user. Deleting the last enabled Account Administrator is refused.
    pub fn delete_user(&mut self, username: &str, _now: UtcTimestamp) -> Result<(), AdminError> {
        self.check_user_deletion(username)?;
        let position = self.user_position(username)?;
        self.state.users.remove(position);
        Ok(())
    }

    /// What [`Sandbox::delete_user`] would refuse, without deleting: a console asks before
    /// it offers a confirmation that could only be refused.
    pub fn check_user_deletion(&self, username: &str) -> Result<(), AdminError> {
        let position = self.user_position(username)?;
        self.keep_an_administrator(position, "deleted")
    }
}

/// A user record no call of the sandbox writes, if there is one: an empty name, a username
/// that is not an email address or is another user's, an unknown access level, or an account
/// without an enabled Account Administrator.
pub(crate) fn snapshot_problem(users: &[UserRecord]) -> Option<String> {
    let mut seen: FastMap<u64, u32> = FastMap::default();
    for (position, user) in users.iter().enumerate() {
        // A username too long to be one is not quoted: the message stays readable.
        let who = if user.username.len() > EMAIL {
            format!("user {position}")
        } else {
            format!("user {position} ({:?})", user.username)
        };
        if user.name.trim().is_empty() {
            return Some(format!("{who} has an empty name"));
        }
        let chars = user.name.trim().chars().count();
        if chars > NAME_MAX_CHARS {
            return Some(format!(
                "{who} has a name of {chars} characters; a user's name has at most {NAME_MAX_CHARS}"
            ));
        }
        if !is_username(user.username.trim()) {
            return Some(format!("{who} has a username that is not an email address"));
        }
        // By the hash of the username in lower case, so an account of any size is checked
        // in one pass; a hash another username took is settled by a scan.
        let hash = fnv1a(&[user.username.to_ascii_lowercase().as_bytes()]);
        let repeated = match seen.get(&hash) {
            None => {
                seen.insert(hash, u32::try_from(position).unwrap_or(u32::MAX));
                false
            }
            Some(&at)
                if users
                    .get(at as usize)
                    .is_some_and(|other| same_username(&other.username, &user.username)) =>
            {
                true
            }
            Some(_) => users
                .iter()
                .take(position)
                .any(|other| same_username(&other.username, &user.username)),
        };
        if repeated {
            return Some(format!("{who} repeats another user's username"));
        }
        if user.level().is_none() {
            return Some(format!(
                "{who} has the unknown access level {:?}",
                user.access_level
            ));
        }
    }
    (!users.iter().any(UserRecord::is_active_administrator))
        .then(|| "no user is an enabled Account Administrator".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexpay::sandbox::test_support::t0;

    fn codes(problems: &[UserProblem]) -> Vec<&'static str> {
        problems.iter().map(|p| p.code).collect()
    }

    fn with_reader() -> Sandbox {
        let mut sandbox = Sandbox::new(1);
        sandbox
            .add_user(
                "Ada Reader",
                "ada@example.com",
                AccessLevel::AccountReader,
                "Secret#12",
                t0(),
            )
            .unwrap();
        sandbox
    }

    #[test]
    fn a_fresh_account_has_its_owner_as_administrator() {
        let sandbox = Sandbox::new(1);
        let users = sandbox.users();
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].name, OWNER_NAME);
        assert_eq!(users[0].username, OWNER_USERNAME);
        assert_eq!(users[0].access_level, AccessLevel::AccountAdministrator);
        assert!(users[0].enabled && !users[0].locked);
        assert!(!sandbox.to_snapshot().contains("users"));
    }

    #[test]
    fn every_password_rule_is_reported_at_once() {
        assert_eq!(
            codes(&password_problems("abc")),
            vec![
                code::PASSWORD_TOO_SHORT,
                code::PASSWORD_NEEDS_CAPITAL,
                code::PASSWORD_NEEDS_DIGIT,
                code::PASSWORD_NEEDS_SYMBOL
            ]
        );
        assert_eq!(
            codes(&password_problems("abcdefgh1!")),
            vec![code::PASSWORD_NEEDS_CAPITAL]
        );
        assert_eq!(
            codes(&password_problems("Abcdefgh!")),
            vec![code::PASSWORD_NEEDS_DIGIT]
        );
        assert_eq!(
            codes(&password_problems("Abcdefgh 1")),
            vec![code::PASSWORD_NEEDS_SYMBOL]
        );
        assert_eq!(
            codes(&password_problems("Abc1!")),
            vec![code::PASSWORD_TOO_SHORT]
        );
        assert!(password_problems("Abcdef1!").is_empty());
        assert!(password_problems("Ébcdef1!ü")
            .iter()
            .all(|p| p.code == code::PASSWORD_NEEDS_CAPITAL));
        assert!(password_problems("Abcdéf1!").is_empty());
        let long = format!("Aa1!{}", "x".repeat(PASSWORD_MAX_CHARS));
        assert_eq!(
            codes(&password_problems(&long)),
            vec![code::PASSWORD_TOO_LONG]
        );
        assert!(password_problems("Abc1!")[0]
            .message
            .starts_with("Temporary password"));
        let messages: Vec<String> = password_problems("abcdefgh")
            .into_iter()
            .map(|p| p.message)
            .collect();
        assert_eq!(
            messages,
            [
                "Temporary password needs at least one capital letter (A–Z).",
                "Temporary password needs at least one digit (0–9).",
                "Temporary password needs at least one symbol, such as ! # $ % or @."
            ]
        );
    }

    #[test]
    fn a_password_with_white_space_at_an_end_is_refused_not_trimmed() {
        for (password, ends) in [
            (" Secret#12", "its start"),
            ("Secret#12 ", "its end"),
            ("\tSecret#12\u{a0}", "both ends"),
        ] {
            let problems = password_problems(password);
            assert_eq!(codes(&problems), vec![code::PASSWORD_SPACES_AT_ENDS]);
            assert_eq!(
                problems[0].message,
                format!(
                    "Temporary password has white space at {ends}; remove it, as it is easily \
                     lost when the password is copied."
                )
            );
        }
        // Inside, a space is a character like any other.
        assert!(password_problems("Secret #12").is_empty());
        assert_eq!(
            codes(&password_problems(" ")),
            vec![
                code::PASSWORD_TOO_SHORT,
                code::PASSWORD_NEEDS_CAPITAL,
                code::PASSWORD_NEEDS_DIGIT,
                code::PASSWORD_NEEDS_SYMBOL,
                code::PASSWORD_SPACES_AT_ENDS
            ]
        );
        // What is accepted is what is kept and handed back, byte for byte.
        let mut sandbox = Sandbox::new(1);
        let refused = sandbox
            .add_user(
                "Ada",
                "ada@example.com",
                AccessLevel::AccountReader,
                " Secret#12 ",
                t0(),
            )
            .unwrap_err();
        assert_eq!(codes(&refused), vec![code::PASSWORD_SPACES_AT_ENDS]);
        assert_eq!(refused[0].field, UserField::TemporaryPassword);
        assert_eq!(sandbox.users().len(), 1);
        let invitation = sandbox
            .add_user(
                "Ada",
                "ada@example.com",
                AccessLevel::AccountReader,
                "Secret #12",
                t0(),
            )
            .unwrap();
        assert_eq!(invitation.temporary_password, "Secret #12");
        assert!(sandbox.check_temporary_password("ada@example.com", "Secret #12"));
        assert!(!sandbox.check_temporary_password("ada@example.com", "Secret#12"));
    }

    #[test]
    fn users_are_listed_a_page_at_a_time_and_searched_by_name_or_username() {
        let mut sandbox = Sandbox::new(1);
        for i in 0..60 {
            let name = format!("User {i}");
            let username = format!("user{i}@example.com");
            sandbox
                .add_user(
                    &name,
                    &username,
                    AccessLevel::AccountReader,
                    "Secret#12",
                    t0(),
                )
                .unwrap();
        }
        let first = sandbox.users_page("", 0, 25);
        assert_eq!((first.total, first.matches, first.page), (61, 61, 0));
        assert_eq!(first.users.len(), 25);
        assert_eq!(first.users[0].username, OWNER_USERNAME);
        assert_eq!(first.users, sandbox.users()[..25]);
        // Past the end: the last page.
        let last = sandbox.users_page("", 99, 25);
        assert_eq!((last.page, last.users.len()), (2, 11));
        assert_eq!(last.users[10].username, "user59@example.com");
        // By name or username, without regard to ASCII case; spaces around are left out.
        let found = sandbox.users_page(" USER5 ", 0, 25);
        assert_eq!((found.total, found.matches), (61, 11));
        assert_eq!(found.users[0].name, "User 5");
        assert_eq!(sandbox.users_page("owner", 0, 25).users[0].name, OWNER_NAME);
        assert_eq!(sandbox.users_page("user 42", 0, 25).matches, 1);
        let none = sandbox.users_page("nobody", 3, 25);
        assert_eq!((none.matches, none.page, none.users.len()), (0, 0, 0));
        assert_eq!(sandbox.user_count(), 61);
    }

    #[test]
    fn a_snapshot_of_many_users_is_checked_in_one_pass() {
        let mut users = seeded();
        for i in 0..20_000 {
            users.push(UserRecord {
                name: format!("User {i}"),
                username: format!("user{i}@example.com"),
                ..seeded().remove(0)
            });
        }
        let started = std::time::Instant::now();
        assert_eq!(snapshot_problem(&users), None);
        // Compared with every user before it, 20 000 users took seconds in a browser.
        assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
        users[15_000].username = "USER7@example.com".to_owned();
        assert_eq!(
            snapshot_problem(&users).as_deref(),
            Some("user 15000 (\"USER7@example.com\") repeats another user's username")
        );
    }

    #[test]
    fn a_new_user_needs_a_name_an_unused_email_and_a_good_password() {
        let mut sandbox = with_reader();
        let problems = sandbox
            .add_user(
                "  ",
                "not-an-email",
                AccessLevel::AccountReader,
                "short",
                t0(),
            )
            .unwrap_err();
        let fields: Vec<UserField> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                UserField::Name,
                UserField::Username,
                UserField::TemporaryPassword,
                UserField::TemporaryPassword,
                UserField::TemporaryPassword,
                UserField::TemporaryPassword
            ]
        );
        let taken = sandbox
            .add_user(
                "Ada",
                " ADA@Example.com ",
                AccessLevel::AccountReader,
                "Secret#12",
                t0(),
            )
            .unwrap_err();
        assert_eq!(codes(&taken), vec![code::USERNAME_TAKEN]);
        let blank = sandbox
            .add_user("Bo", "", AccessLevel::AccountReader, "Secret#12", t0())
            .unwrap_err();
        assert_eq!(codes(&blank), vec![code::INVALID_USERNAME]);
        for (username, said) in [
            ("jos\u{FFFD}@example.com", "Username has U+FFFD at character 4, where a character could not be read"),
            ("bo\u{202E}@example.com", "Username has U+202E, a control, zero-width or text-direction character, at character 3;"),
        ] {
            let problems = sandbox
                .add_user("Bo", username, AccessLevel::AccountReader, "Secret#12", t0())
                .unwrap_err();
            assert_eq!(codes(&problems), vec![code::INVALID_USERNAME]);
            assert!(problems[0].message.starts_with(said), "{}", problems[0].message);
        }
        let long = sandbox
            .add_user(
                &"n".repeat(101),
                "n@example.com",
                AccessLevel::AccountReader,
                "Secret#12",
                t0(),
            )
            .unwrap_err();
        assert_eq!(codes(&long), vec![code::INVALID_NAME]);
        for (name, said) in [
            ("Bo\u{202E}b", "Name has U+202E, a control, zero-width or text-direction character, at character 3;"),
            ("Jos\u{FFFD}", "Name has U+FFFD at character 4, where a character could not be read"),
        ] {
            let problems = sandbox
                .add_user(name, "nb@example.com", AccessLevel::AccountReader, "Secret#12", t0())
                .unwrap_err();
            assert_eq!(codes(&problems), vec![code::INVALID_NAME]);
            assert!(problems[0].message.starts_with(said), "{}", problems[0].message);
        }
        assert_eq!(sandbox.users().len(), 2);
    }

    #[test]
    fn only_a_salted_hash_of_the_password_is_kept() {
        let mut sandbox = Sandbox::new(1);
        let invitation = sandbox
            .add_user(
                " Grace ",
                "grace@example.com",
                AccessLevel::GatewayAdministrator,
                "Hopper#1906",
                t0(),
            )
            .unwrap();
        assert_eq!(invitation.name, "Grace");
        assert_eq!(invitation.temporary_password, "Hopper#1906");
        let text = sandbox.to_snapshot();
        assert!(!text.contains("Hopper#1906"));
        assert!(text.contains("\"users\":["));
        assert!(sandbox.check_temporary_password("GRACE@example.com", "Hopper#1906"));
        assert!(!sandbox.check_temporary_password("grace@example.com", "Hopper#1907"));
        let loaded = Sandbox::from_snapshot(&text).unwrap();
        assert_eq!(loaded.to_snapshot(), text);
        assert!(loaded.check_temporary_password("grace@example.com", "Hopper#1906"));
        assert!(!loaded.check_temporary_password(OWNER_USERNAME, ""));
    }

    #[test]
    fn suggested_passwords_keep_the_rule_and_differ() {
        let mut sandbox = Sandbox::new(9);
        let first = sandbox.suggest_temporary_password();
        for _ in 0..200 {
            let suggestion = sandbox.suggest_temporary_password();
            assert_eq!(suggestion.chars().count(), 12);
            assert!(password_problems(&suggestion).is_empty(), "{suggestion}");
        }
        assert_ne!(first, sandbox.suggest_temporary_password());
    }

    #[test]
    fn update_changes_name_and_access_level() {
        let mut sandbox = with_reader();
        let updated = sandbox
            .update_user(
                "ADA@example.com",
                "Ada Lovelace",
                AccessLevel::AccountAdministrator,
                t0(),
            )
            .unwrap();
        assert_eq!(updated.name, "Ada Lovelace");
        assert_eq!(updated.access_level, AccessLevel::AccountAdministrator);
        let blank = sandbox
            .update_user("ada@example.com", " ", AccessLevel::AccountReader, t0())
            .unwrap_err();
        assert_eq!(codes(&blank), vec![code::INVALID_NAME]);
        let missing = sandbox
            .update_user("nobody@example.com", "X", AccessLevel::AccountReader, t0())
            .unwrap_err();
        assert_eq!(codes(&missing), vec![code::USER_NOT_FOUND]);
        // A new name is held to the rules; a name kept from before a rule was added stays,
        // so the user can still be given another access level.
        let hidden = sandbox
            .update_user(
                "ada@example.com",
                "Ada\u{202E}",
                AccessLevel::AccountReader,
                t0(),
            )
            .unwrap_err();
        assert_eq!(codes(&hidden), vec![code::INVALID_NAME]);
        if let Some(user) = sandbox
            .state
            .users
            .iter_mut()
            .find(|u| u.username == "ada@example.com")
        {
            user.name = "Ada\u{200B}".to_owned();
        }
        let kept = sandbox
            .update_user(
                "ada@example.com",
                "Ada\u{200B}",
                AccessLevel::AccountReader,
                t0(),
            )
            .unwrap();
        assert_eq!(kept.access_level, AccessLevel::AccountReader);
        assert_eq!(kept.name, "Ada\u{200B}");
    }

    #[test]
    fn the_last_enabled_administrator_stays() {
        let mut sandbox = with_reader();
        let owner = OWNER_USERNAME;
        for error in [
            sandbox.set_user_enabled(owner, false, t0()).unwrap_err(),
            sandbox.delete_user(owner, t0()).unwrap_err(),
        ] {
            assert_eq!(error.code, code::LAST_ADMINISTRATOR);
            assert!(error.message.contains("last enabled Account Administrator"));
            assert!(error
                .message
                .ends_with(" keeps one. Make another user an Account Administrator first."));
        }
        let demoted = sandbox
            .update_user(owner, "Owner", AccessLevel::AccountReader, t0())
            .unwrap_err();
        assert_eq!(demoted[0].field, UserField::AccessLevel);
        assert_eq!(demoted[0].code, code::LAST_ADMINISTRATOR);
        // Renaming while staying an administrator is fine.
        sandbox
            .update_user(owner, "Owner", AccessLevel::AccountAdministrator, t0())
            .unwrap();
        // With a second administrator, the first may go; a disabled one does not count.
        sandbox
            .update_user(
                "ada@example.com",
                "Ada",
                AccessLevel::AccountAdministrator,
                t0(),
            )
            .unwrap();
        sandbox
            .set_user_enabled("ada@example.com", false, t0())
            .unwrap();
        let refused = sandbox.delete_user(owner, t0()).unwrap_err();
        assert_eq!(refused.code, code::LAST_ADMINISTRATOR);
        // The advice names the disabled administrator to enable.
        assert_eq!(
            refused.message,
            "Owner is the account's last enabled Account Administrator and cannot be deleted: \
             the account always keeps one. Enable Ada (ada@example.com), a disabled Account \
             Administrator, or make another user an Account Administrator first."
        );
        sandbox
            .set_user_enabled("ada@example.com", true, t0())
            .unwrap();
        sandbox.set_user_enabled(owner, false, t0()).unwrap();
        assert!(!sandbox.users()[0].enabled);
        sandbox.delete_user(owner, t0()).unwrap();
        assert_eq!(sandbox.users().len(), 1);
        // Other users may always be disabled or deleted.
        let mut other = with_reader();
        other
            .set_user_enabled("ada@example.com", false, t0())
            .unwrap();
        other.delete_user("ada@example.com", t0()).unwrap();
        assert_eq!(
            other.delete_user("ada@example.com", t0()).unwrap_err().code,
            code::USER_NOT_FOUND
        );
    }

    #[test]
    fn unlock_clears_the_locked_flag() {
        let mut sandbox = with_reader();
        sandbox.state.users[1].locked = true;
        let text = sandbox.to_snapshot();
        let mut loaded = Sandbox::from_snapshot(&text).unwrap();
        assert!(loaded.users()[1].locked);
        loaded.unlock_user("ada@example.com", t0()).unwrap();
        assert!(!loaded.users()[1].locked);
        loaded.unlock_user("ada@example.com", t0()).unwrap();
        assert_eq!(
            loaded.unlock_user("x@example.com", t0()).unwrap_err().code,
            code::USER_NOT_FOUND
        );
    }

    #[test]
    fn rights_follow_the_roles_table() {
        use AccessLevel::*;
        assert!(Right::ALL.iter().all(|r| AccountAdministrator.has(*r)));
        assert_eq!(
            AccountReader.rights(),
            &[Right::ViewTransactions, Right::ViewReports]
        );
        assert!(GatewayAccountManager.has(Right::ViewTransactions));
        assert!(!GatewayAccountManager.has(Right::ViewReports));
        assert!(GatewayAdministrator.has(Right::AddGateways));
        assert!(!GatewayAdministrator.has(Right::ManageGateways));
        for level in AccessLevel::ALL {
            assert_eq!(AccessLevel::from_code(level.code()), Some(level));
            assert!(AccountReader
                .rights()
                .iter()
                .all(|r| level == GatewayAccountManager || level.has(*r)));
        }
        assert_eq!(AccessLevel::from_code("owner"), None);
        let codes: Vec<&str> = Right::ALL.iter().map(|r| r.code()).collect();
        assert!(codes
            .iter()
            .enumerate()
            .all(|(i, c)| !codes[..i].contains(c) && c.chars().all(|c| c.is_ascii_alphabetic())));
    }

    #[test]
    fn impossible_user_records_are_refused_on_load() {
        use serde_json::json;
        let text = with_reader().to_snapshot();
        let load = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
            edit(&mut value);
            Sandbox::from_snapshot(&value.to_string()).map(|_| ())
        };
        assert!(load(&|_| {}).is_ok());
        for (user, field, value, words) in [
            (
                1,
                "username",
                json!("OWNER@example.com"),
                "repeats another user's username",
            ),
            (1, "name", json!("  "), "has an empty name"),
            (
                1,
                "name",
                json!("n".repeat(101)),
                "has a name of 101 characters; a user's name has at most 100",
            ),
            (
                1,
                "username",
                json!(format!("{}@example.com", "a".repeat(400))),
                "not an email address",
            ),
            (
                1,
                "accessLevel",
                json!("owner"),
                "unknown access level \"owner\"",
            ),
            (1, "username", json!("ada"), "not an email address"),
            (
                0,
                "disabled",
                json!(true),
                "no user is an enabled Account Administrator",
            ),
        ] {
            let error = load(&|v| v["users"][user][field] = value.clone()).unwrap_err();
            assert_eq!(error.code(), "snapshot_inconsistent");
            assert!(error.to_string().contains(words), "{error}");
        }
        let none = load(&|v| v["users"] = json!([])).unwrap_err();
        assert!(none
            .to_string()
            .contains("no user is an enabled Account Administrator"));
    }
}
