def invoice_by_id(conn, invoice_id):
    cur = conn.cursor()
    cur.execute("SELECT id, total FROM invoices WHERE id = %s", (invoice_id,))
    return cur.fetchone()


def invoices_for_customer(conn, name):
    cur = conn.cursor()
    cur.execute(f"SELECT id, total FROM invoices WHERE customer_name = '{name}'")
    return cur.fetchall()
