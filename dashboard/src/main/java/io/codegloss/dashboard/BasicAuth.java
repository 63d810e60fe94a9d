package io.codegloss.dashboard;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.security.BasicAuthCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards every route, the API and the event stream included, when a password is configured. The
 * comparison takes the same time whatever the guess; credentials are never logged.
 */
final class BasicAuth implements Handler {

  private final byte[] user;
  private final byte[] password;

  BasicAuth(String user, String password) {
    this.user = user.getBytes(StandardCharsets.UTF_8);
    this.password = password.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(Context ctx) {
    BasicAuthCredentials given = null;
    try {
      given = ctx.basicAuthCredentials();
    } catch (RuntimeException malformed) {
      // A garbled Authorization header is the same as none.
    }
    if (given != null && matches(given)) {
      return;
    }
    ctx.header("WWW-Authenticate", "Basic realm=\"codegloss dashboard\", charset=\"UTF-8\"");
    ctx.status(HttpStatus.UNAUTHORIZED);
    throw new UnauthorizedResponse("the codegloss dashboard needs a user and password");
  }

  private boolean matches(BasicAuthCredentials given) {
    boolean userOk =
        MessageDigest.isEqual(user, given.getUsername().getBytes(StandardCharsets.UTF_8));
    boolean passwordOk =
        MessageDigest.isEqual(password, given.getPassword().getBytes(StandardCharsets.UTF_8));
    return userOk & passwordOk;
  }
}
