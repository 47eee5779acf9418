package shop;

public class OrderService {
    private final OrderRepository orders;

    public OrderService(OrderRepository orders) {
        this.orders = orders;
    }

    public Order find(long id) {
        return orders.findById(id);
    }
}
