def invoice_by_id(conn, invoice_id):
    cur = conn.cursor()
    cur.execute("SELECT id, total FROM invoices WHERE id = %s", (invoice_id,))
    return cur.fetchone()
