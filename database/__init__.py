"""Operations on the database as a whole: opening it and creating what the models alone cannot
describe (`connection`), SQLite shared by several processes (`sqlite`), backups (`backup`)."""
