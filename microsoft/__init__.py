"""The portal's clients of Microsoft services, in one place.

- entra.py, views.py, services.py: sign in with Microsoft (Entra ID), its two pages and
  the portal user it signs in; context_processors.py offers it on the login page;
- identity.py: one msal application per process and per authority and client, shared by
  the Entra ID sign-in (entra.py) and Microsoft Graph (graph_auth.py);
- http.py: the requests session they use, with a timeout on every call and bounded retries;
- errors.py: typed errors, and the messages staff read about them;
- teams/: the Teams interface with its `local` and `graph` backends.

It sits right above core (the roles, ExternalIdentity, e-mail addresses) and below the
apps, which import it; core imports none of it (docs/ARCHITECTURE.md).
"""
