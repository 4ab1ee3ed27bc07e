"""The portal's clients of Microsoft services, in one place.

- identity.py: one msal application per process and per authority and client, shared by
  the Entra ID sign-in (core/entra.py) and Microsoft Graph (graph_auth.py);
- http.py: the requests session they use, with a timeout on every call and bounded retries;
- errors.py: typed errors, and the messages staff read about them;
- teams/: the Teams interface with its `local` and `graph` backends.
"""
