"""What each membership tier may do, as the API shows it (the rule is `resolvers.entitlements`)."""
