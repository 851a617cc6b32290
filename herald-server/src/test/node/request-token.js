'use strict';
// Token service through ably-js (TokenRequestIT).
// input: { port, binary, scenario, ... }
//  scenario "create":  key, params -> createTokenRequest(params) with the key, then requestToken() of a keyless
//                      client whose authCallback returns that TokenRequest; also requestToken(params) with the key.
//  scenario "post":    requests: [TokenRequest JSON...] -> for each, requestToken() of a keyless client whose
//                      authCallback returns it; result per request { details } or { error }.
//  scenario "withToken": token, keyName, params -> a client holding only the token POSTs unsigned params to
//                      /keys/{keyName}/requestToken (rest.request); result { statusCode, errorCode, errorMessage }.
const { Ably, run, options, within, errorInfo } = require('./lib');

function viaCallback(input, tokenRequest) {
  const rest = new Ably.Rest(options(input, { authCallback: (params, cb) => cb(null, tokenRequest) }));
  return within(10000, 'requestToken', rest.auth.requestToken());
}

run(30000, async input => {
  if (input.scenario === 'create') {
    const keyed = new Ably.Rest(options(input, { key: input.key }));
    const tokenRequest = await keyed.auth.createTokenRequest(input.params);
    const viaTokenRequest = await viaCallback(input, tokenRequest);
    const viaKey = await within(10000, 'requestToken with key', keyed.auth.requestToken(input.params));
    return { tokenRequest, viaTokenRequest, viaKey };
  }
  if (input.scenario === 'post') {
    const results = [];
    for (const req of input.requests) {
      try {
        results.push({ details: await viaCallback(input, req) });
      } catch (err) {
        results.push({ error: errorInfo(err) });
      }
    }
    return results;
  }
  if (input.scenario === 'withToken') {
    const rest = new Ably.Rest(options(input, { token: input.token }));
    const r = await within(10000, 'request', rest.request('post', '/keys/' + input.keyName + '/requestToken', 3,
      null, input.params, null));
    return { statusCode: r.statusCode, errorCode: r.errorCode, errorMessage: r.errorMessage };
  }
  throw new Error('unknown scenario ' + input.scenario);
});
