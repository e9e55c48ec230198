// A real OpenID provider (oidc-provider) for Redress's single sign-on tests.
//
// Settings come from the environment:
//   OIDC_CLIENTS   JSON list of clients (client_id, client_secret, redirect_uris)
//   OIDC_ACCOUNTS  JSON object: account id -> claims (email, email_verified, name, groups)
//   OIDC_CODE_TTL  seconds an authorisation code lives (default 60)
// It listens on a free port on 127.0.0.1 and prints "issuer URL" on its first line.
//
// Signing in needs no form: the account is the authorisation request's login_hint, and
// consent to every scope asked for is given at once. An unknown login_hint is refused with
// access_denied, as a provider refuses someone who cannot sign in.
import http from 'node:http';
import Provider from 'oidc-provider';

const clients = JSON.parse(process.env.OIDC_CLIENTS || '[]');
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');
const codeTtl = Number(process.env.OIDC_CODE_TTL || 60);

let provider;
const server = http.createServer(async (req, res) => {
  try {
    if (req.url.startsWith('/interaction/')) {
      const details = await provider.interactionDetails(req, res);
      const accountId = details.params.login_hint;
      if (!accounts[accountId]) {
        await provider.interactionFinished(req, res, {
          error: 'access_denied',
          error_description: 'no such account',
        }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, {
        login: { accountId },
        consent: { grantId },
      }, { mergeWithLastSubmission: false });
      return;
    }
    provider.callback()(req, res);
  } catch (e) {
    res.statusCode = 500;
    res.end(String(e));
  }
});

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...c,
    })),
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    // The claims go in the ID token itself, as Entra ID and Google put theirs.
    conformIdTokenClaims: false,
    findAccount: (ctx, id) =>
      accounts[id] && { accountId: id, claims: () => ({ sub: id, ...accounts[id] }) },
    ttl: { AuthorizationCode: codeTtl, Session: 3600, Interaction: 600, Grant: 3600, IdToken: 3600, AccessToken: 3600 },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  // Plain http on 127.0.0.1 for the tests: cookies without Secure.
  provider.proxy = false;
  console.log(issuer);
});
