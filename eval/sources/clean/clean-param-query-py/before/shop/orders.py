def order(conn, order_id):
    cur = conn.cursor()
    cur.execute("SELECT * FROM orders WHERE id = " + str(int(order_id)))
    return cur.fetchone()
