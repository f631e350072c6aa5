//! Identity rules: the root user, IAM users and policies, and credentials in user data.

use super::context::Ctx;
use super::{Fix, Out};
use crate::model::config::services::{Effect, IamUser, RootUser};
use crate::model::{Config, Kind, LinkKind};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Out) {
    root_user(ctx, out);
    iam_users(ctx, out);
    policies(ctx, out);
    user_data(ctx, out);
}

/// SEC011 (no root access keys), SEC012 (root MFA), SEC013 (root not for daily work).
fn root_user(ctx: &Ctx<'_>, out: &mut Out) {
    for root in ctx.of_kind(Kind::RootUser) {
        let Config::RootUser(c) = &root.config else {
            continue;
        };
        let fixed = |f: &dyn Fn(&mut RootUser)| {
            let mut c = c.clone();
            f(&mut c);
            Config::RootUser(c)
        };
        if c.access_keys > 0 {
            out.emit(
                "SEC011",
                vec![root.id.clone()],
                format!("the root user has {} access key(s)", c.access_keys),
                Some(Fix::config(
                    "Delete the root access keys",
                    &root.id,
                    fixed(&|c| c.access_keys = 0),
                )),
            );
        }
        if !c.mfa_enabled {
            out.emit(
                "SEC012",
                vec![root.id.clone()],
                "the root user signs in without multi-factor authentication".into(),
                Some(Fix::config(
                    "Enable MFA on the root user",
                    &root.id,
                    fixed(&|c| c.mfa_enabled = true),
                )),
            );
        }
        if c.used_for_daily_work {
            out.emit(
                "SEC013",
                vec![root.id.clone()],
                "the root user is used for everyday tasks".into(),
                Some(Fix::config(
                    "Use IAM identities for daily work",
                    &root.id,
                    fixed(&|c| c.used_for_daily_work = false),
                )),
            );
        }
    }
}

/// SEC016: console users have MFA.
fn iam_users(ctx: &Ctx<'_>, out: &mut Out) {
    for user in ctx.of_kind(Kind::IamUser) {
        let Config::IamUser(c) = &user.config else {
            continue;
        };
        if c.console_access && !c.mfa_enabled {
            out.emit(
                "SEC016",
                vec![user.id.clone()],
                format!("IAM user {} signs in to the console without MFA", user.id),
                Some(Fix::config(
                    "Require MFA",
                    &user.id,
                    Config::IamUser(IamUser {
                        mfa_enabled: true,
                        ..c.clone()
                    }),
                )),
            );
        }
    }
}

/// SEC014 (policies go to groups, not users) and SEC024 (no `*` on `*`).
fn policies(ctx: &Ctx<'_>, out: &mut Out) {
    for policy in ctx.of_kind(Kind::IamPolicy) {
        let Config::IamPolicy(c) = &policy.config else {
            continue;
        };
        for user in ctx
            .targets(policy.id.as_str(), LinkKind::Attachment)
            .filter(|t| t.kind() == Kind::IamUser)
        {
            out.emit(
                "SEC014",
                vec![policy.id.clone(), user.id.clone()],
                format!(
                    "policy {} is attached to user {} directly; attach it to a group the user belongs to",
                    policy.id, user.id
                ),
                None,
            );
        }
        let everything = c.statements.iter().any(|s| {
            s.effect == Effect::Allow
                && s.actions.iter().any(|a| a.trim() == "*")
                && s.resources.iter().any(|r| r.trim() == "*")
        });
        if everything {
            out.emit(
                "SEC024",
                vec![policy.id.clone()],
                format!("policy {} allows every action on every resource", policy.id),
                None,
            );
        }
    }
}

/// True when a line of user data carries AWS credentials.
fn has_credentials(line: &str) -> bool {
    let upper = line.to_ascii_uppercase();
    upper.contains("AWS_SECRET_ACCESS_KEY")
        || upper.contains("AWS_ACCESS_KEY_ID")
        || line
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| {
                (word.starts_with("AKIA") || word.starts_with("ASIA"))
                    && word.len() == 20
                    && word
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            })
}

/// SEC015: user data carries access keys instead of the instance using a role.
fn user_data(ctx: &Ctx<'_>, out: &mut Out) {
    for r in ctx
        .of_kind(Kind::Ec2Instance)
        .iter()
        .chain(ctx.of_kind(Kind::LaunchTemplate))
    {
        let (text, rebuild): (&str, Box<dyn Fn(String) -> Config>) = match &r.config {
            Config::Ec2Instance(c) => (
                &c.user_data,
                Box::new(|user_data| {
                    Config::Ec2Instance(crate::model::config::compute::Ec2Instance {
                        user_data,
                        ..c.clone()
                    })
                }),
            ),
            Config::LaunchTemplate(c) => (
                &c.user_data,
                Box::new(|user_data| {
                    Config::LaunchTemplate(crate::model::config::compute::LaunchTemplate {
                        user_data,
                        ..c.clone()
                    })
                }),
            ),
            _ => continue,
        };
        if !text.lines().any(has_credentials) {
            continue;
        }
        let cleaned: String = text
            .lines()
            .filter(|l| !has_credentials(l))
            .map(|l| format!("{l}\n"))
            .collect();
        out.emit(
            "SEC015",
            vec![r.id.clone()],
            format!("the user data of {} holds AWS access keys", r.id),
            Some(Fix::config(
                "Remove the keys from the user data (give the instance a role)",
                &r.id,
                rebuild(cleaned),
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::has_credentials;

    #[test]
    fn credentials_are_recognised_by_name_and_by_key_shape() {
        assert!(has_credentials("export AWS_SECRET_ACCESS_KEY=abc"));
        assert!(has_credentials("aws_access_key_id = x"));
        assert!(has_credentials("KEY=AKIAEXAMPLEEXAMPLE00"));
        assert!(!has_credentials("yum install -y httpd"));
        assert!(!has_credentials("AKIA is a prefix, not a key"));
    }
}
