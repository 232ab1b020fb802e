"""Pure domain rules: no Django import, tested without a database."""
