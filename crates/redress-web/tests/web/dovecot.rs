//! A throwaway Dovecot IMAP server for the mailbox tests, on a free port and a temporary
//! directory, stopped when dropped (see `crates/redress-app/tests/mail/DOVECOT.md`).
//! It signs in by password and, through an introspection endpoint the test serves, by
//! OAuth (XOAUTH2). Skipped when Dovecot is not installed, unless
//! `REDRESS_TEST_DOVECOT_REQUIRED` is set (as `.ci/run` does, having installed it).

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const USER: &str = "redress";
pub const PASSWORD: &str = "mailbox-pass-1";

pub struct Dovecot {
    child: Child,
    pub dir: PathBuf,
    pub port: u16,
    owner: (u32, u32),
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // SIGTERM lets it disconnect clients and stop its children.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn id(flag: &str) -> String {
    let out = Command::new("id").arg(flag).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Starts Dovecot, or `None` when it is not installed and not required. `introspection`
/// is the address Dovecot asks whether an OAuth token is good.
pub fn start(introspection: &str) -> Option<Dovecot> {
    if Command::new("dovecot").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("REDRESS_TEST_DOVECOT_REQUIRED").is_none(),
            "install dovecot-imapd for the mailbox tests"
        );
        eprintln!("mailbox tests skipped: dovecot-imapd is not installed");
        return None;
    }
    let root = id("-u") == "0";
    // A short path: Dovecot's sockets live under it, and their paths are limited to 108 bytes.
    let dir = PathBuf::from(format!("/tmp/rdv-{}", uuid::Uuid::now_v7().simple()));
    for sub in ["", "run", "state", "mail", "home"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    // The mail must not be root's: as root, it belongs to nobody.
    let (uid, gid, login, internal, group) = if root {
        (
            65534,
            65534,
            "dovenull".into(),
            "dovecot".into(),
            "dovecot".into(),
        )
    } else {
        let user = id("-un");
        (
            id("-u").parse().unwrap(),
            id("-g").parse().unwrap(),
            user.clone(),
            user,
            id("-gn"),
        )
    };
    for sub in ["mail", "home"] {
        std::os::unix::fs::chown(dir.join(sub), Some(uid), Some(gid)).unwrap();
    }
    let port = free_port();
    let d = dir.display();
    let conf = format!(
        "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {d}/run\nstate_dir = {d}/state\n\
         instance_name = redress-test-dovecot\nlog_path = {d}/dovecot.log\ninfo_log_path = {d}/dovecot.log\n\
         auth_verbose = yes\nauth_failure_delay = 0\nauth_mechanisms = plain login xoauth2\n\
         ssl = no\ndisable_plaintext_auth = no\ndefault_login_user = {login}\n\
         default_internal_user = {internal}\ndefault_internal_group = {group}\nfirst_valid_uid = 1\n\
         mail_location = maildir:{d}/mail/%n\n\
         passdb {{\n  driver = passwd-file\n  mechanisms = plain login\n  args = scheme=PLAIN username_format=%n {d}/passwd\n}}\n\
         passdb {{\n  driver = oauth2\n  mechanisms = xoauth2\n  args = {d}/oauth2.conf.ext\n}}\n\
         userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={d}/home/%n\n}}\n\
         service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
         service anvil {{\n  chroot =\n  unix_listener anvil-auth-penalty {{\n    mode = 0\n  }}\n}}\n\
         service ipc {{\n  chroot =\n}}\nservice old-stats {{\n  chroot =\n}}\n"
    );
    std::fs::write(dir.join("dovecot.conf"), conf).unwrap();
    std::fs::write(
        dir.join("oauth2.conf.ext"),
        format!(
            "introspection_mode = post\nintrospection_url = {introspection}\n\
             username_attribute = username\nactive_attribute = active\nactive_value = true\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).unwrap();
    for f in ["passwd", "oauth2.conf.ext"] {
        std::fs::set_permissions(dir.join(f), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let child = Command::new("dovecot")
        .arg("-F")
        .arg("-c")
        .arg(dir.join("dovecot.conf"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Dovecot {
        child,
        dir,
        port,
        owner: (uid, gid),
    };
    // Ready when the greeting comes: it is sent once sign-in works.
    for _ in 0..100 {
        if let Ok(stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(2)))
                .unwrap();
            let mut line = String::new();
            if std::io::BufReader::new(stream).read_line(&mut line).is_ok()
                && line.starts_with("* OK")
            {
                return Some(server);
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let mut log = String::new();
    let _ = std::fs::File::open(server.dir.join("dovecot.log"))
        .and_then(|mut f| f.read_to_string(&mut log));
    panic!("dovecot did not start: {log}");
}

impl Dovecot {
    pub fn url(&self) -> String {
        format!("imap://{USER}:{PASSWORD}@127.0.0.1:{}/INBOX", self.port)
    }

    fn maildir(&self) -> PathBuf {
        self.dir.join("mail").join(USER)
    }

    /// Delivers a message as a mail server would: into the Maildir's `new`.
    pub fn deliver(&self, name: &str, raw: &[u8]) {
        let maildir = self.maildir();
        for sub in ["", "cur", "new", "tmp"] {
            let p = maildir.join(sub);
            if !p.exists() {
                std::fs::create_dir_all(&p).unwrap();
                std::os::unix::fs::chown(&p, Some(self.owner.0), Some(self.owner.1)).unwrap();
            }
        }
        let unique = format!(
            "{}.M{}P1.{name}",
            jiff::Timestamp::now().as_second(),
            uuid::Uuid::now_v7().simple()
        );
        let tmp = maildir.join("tmp").join(&unique);
        std::fs::write(&tmp, raw).unwrap();
        std::os::unix::fs::chown(&tmp, Some(self.owner.0), Some(self.owner.1)).unwrap();
        std::fs::rename(&tmp, maildir.join("new").join(&unique)).unwrap();
    }

    /// How many messages are in the mailbox, and how many of them are marked seen.
    pub fn counts(&self) -> (usize, usize) {
        let maildir = self.maildir();
        let names = |sub: &str| -> Vec<String> {
            std::fs::read_dir(maildir.join(sub))
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default()
        };
        let cur = names("cur");
        let new = names("new");
        let seen = cur
            .iter()
            .filter(|n| {
                n.rsplit_once(":2,")
                    .is_some_and(|(_, flags)| flags.contains('S'))
            })
            .count();
        (cur.len() + new.len(), seen)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("dovecot.log")).unwrap_or_default()
    }
}

/// A fixture from `crates/redress-app/tests/mail`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../redress-app/tests/mail")
        .join(name);
    std::fs::read(&path).unwrap()
}
